import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatUsd, type UsageRecord } from '@tollgate/core';
import { SqliteStore } from '@tollgate/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTollgate } from '../testing/run-tollgate';
import { TEST_NOW } from '../testing/seed-history';
import { temporaryDirectory } from '../testing/temporary-directory';

const APP = fileURLToPath(new URL('../testing/new-user-app.mjs', import.meta.url));
let directory: ReturnType<typeof temporaryDirectory>;
let records: UsageRecord[];

/** Runs the app as its own process in `cwd`, at TEST_NOW; resolves to the records it wrote. */
function runApp(cwd: string): Promise<UsageRecord[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [APP], {
      cwd,
      env: { ...process.env, TOLLGATE_APP_NOW: TEST_NOW },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0
        ? resolve(JSON.parse(stdout) as UsageRecord[])
        : reject(new Error(`the app exited with ${code}`)),
    );
  });
}

const spendOf = (filter: (record: UsageRecord) => boolean) =>
  records.filter(filter).reduce((sum, record) => sum + record.cost, 0);

beforeAll(async () => {
  directory = temporaryDirectory();
  records = await runApp(directory.path);
});

afterAll(() => directory.remove());

describe('tollgate status on the store of an app that has no config file', () => {
  it("shows the app's own budgets and spend, in the terminal, from the file it reads by default", async () => {
    expect(existsSync(path.join(directory.path, '.tollgate', 'config.json'))).toBe(false);
    const run = await runTollgate(['status'], { cwd: directory.path });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const total = spendOf(() => true);
    expect(run.stdout).toContain('budgets as the app saved them in the store');
    expect(run.stdout).toContain(`used ${formatUsd(total)} of $5.00`);
    expect(run.stdout).not.toMatch(/default|\$30\.00/);
    // Every user with spend today, each with what they spent of their own $0.50.
    for (const user of ['u-1', 'u-2'])
      expect(run.stdout).toMatch(
        new RegExp(`${user} .*used \\${formatUsd(spendOf((record) => record.userId === user))} of \\$0\\.50`),
      );
    expect(run.stdout).toMatch(/per-team {2}per tag · week 2026-W48/);
    expect(run.stdout).toMatch(/beta .*used/);
    expect(run.stdout).toMatch(/search-project \(project:search\)/);
  });

  it('gives the same in JSON: where the budgets come from, each budget and each scope value', async () => {
    const run = await runTollgate(['status', '--json'], { cwd: directory.path });
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout);
    // By budget id, as the store keeps them.
    expect(output.budgets).toMatchObject({
      source: 'store',
      definitions: [
        { id: 'app', limit: { nanoUsd: 5e9 }, period: 'month', scope: 'global', definedAt: TEST_NOW },
        { id: 'per-team', scope: 'tag' },
        { id: 'per-user', limit: { nanoUsd: 5e8 }, period: 'day', scope: 'user', scopeValue: null },
        { id: 'search-project', scope: 'project', scopeValue: 'search' },
      ],
    });
    const used = Object.fromEntries(
      output.statuses.map((status: { budgetId: string; scope: string; usedNano: number }) => [
        `${status.budgetId} ${status.scope}`,
        status.usedNano,
      ]),
    );
    expect(used).toEqual({
      'app global': spendOf(() => true),
      'per-user user:u-1': spendOf((record) => record.userId === 'u-1'),
      'per-user user:u-2': spendOf((record) => record.userId === 'u-2'),
      'per-team tag:beta': spendOf((record) => record.tags.includes('beta')),
      'per-team tag:eu': spendOf((record) => record.tags.includes('eu')),
      'search-project project:search': spendOf((record) => record.projectId === 'search'),
    });
  });

  it('shows the budgets of one user, project or tag with --user, --project and --tag', async () => {
    const statusesOf = async (...flags: string[]) => {
      const run = await runTollgate(['status', '--json', ...flags], { cwd: directory.path });
      expect(run.code).toBe(0);
      return JSON.parse(run.stdout).statuses.map(
        (status: { budgetId: string; scope: string; usedNano: number }) =>
          `${status.budgetId} ${status.scope} ${status.usedNano}`,
      );
    };
    const app = `app global ${spendOf(() => true)}`;
    const project = `search-project project:search ${spendOf((record) => record.projectId === 'search')}`;
    expect(await statusesOf('--user', 'u-9')).toEqual([app, 'per-user user:u-9 0', project]);
    expect(await statusesOf('--tag', 'eu')).toEqual([
      app,
      `per-team tag:eu ${spendOf((record) => record.tags.includes('eu'))}`,
      project,
    ]);
    expect(await statusesOf('--project', 'search')).toEqual([app, project]);
    const text = await runTollgate(['status', '--user', 'u-1'], { cwd: directory.path });
    expect(text.stdout).toContain('per-user (user:u-1)');
    const bad = await runTollgate(['status', '--user', '$where'], { cwd: directory.path });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^tollgate: .*userId.*must not start with "\$"\n$/);
  });

  it('reports and exports the records under the model as called, with the catalog id beside it', async () => {
    expect(records.map((record) => [record.model, record.servedModel, record.catalogModel])).toEqual([
      ['gpt-4o-2024-08-06', undefined, 'gpt-4o'],
      ['gpt-4o', 'gpt-4o-2024-08-06', 'gpt-4o'],
      ['gpt-4o-mini', undefined, 'gpt-4o-mini'],
      ['claude-3-5-haiku-20241022', undefined, 'claude-3-5-haiku-latest'],
    ]);
    const report = await runTollgate(['report', '--json', '--by', 'model,catalog-model'], {
      cwd: directory.path,
    });
    expect(report.code).toBe(0);
    const [byModel, byCatalog] = JSON.parse(report.stdout).breakdowns;
    expect(byModel.groups.map((group: { key: { model: string } }) => group.key.model).sort()).toEqual([
      'claude-3-5-haiku-20241022',
      'gpt-4o',
      'gpt-4o-2024-08-06',
      'gpt-4o-mini',
    ]);
    expect(
      byCatalog.groups.map((group: { key: { catalogModel: string } }) => group.key.catalogModel).sort(),
    ).toEqual(['claude-3-5-haiku-latest', 'gpt-4o', 'gpt-4o-mini']);
    const exported = await runTollgate(['export', '--format', 'jsonl'], { cwd: directory.path });
    expect(exported.code).toBe(0);
    const lines = exported.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.requestId, line.model, line.catalogModel, line.costNano])).toEqual(
      records.map((record) => [record.requestId, record.model, record.catalogModel, record.cost]),
    );
  });

  it('says what a config budget the app never ran leaves out of its used: the spend earlier in its period', async () => {
    const config = path.join(directory.path, 'with-daily.json');
    const { writeFileSync } = await import('node:fs');
    const daily = { id: 'daily', limitUsd: 1, period: 'day' };
    writeFileSync(config, JSON.stringify({ budgets: [{ id: 'app', limitUsd: 100 }, daily] }));
    const today = TEST_NOW.slice(0, 10);
    const spentToday = spendOf((record) => record.day === today);
    expect(spentToday).toBeGreaterThan(0);

    const json = await runTollgate(['status', '--json', '--config', config], { cwd: directory.path });
    expect(json.code).toBe(0);
    const { budgets, statuses } = JSON.parse(json.stdout);
    expect(
      budgets.definitions.map((each: { id: string; uncountedNano: number }) => [each.id, each.uncountedNano]),
    ).toEqual([
      ['app', 0],
      ['daily', spentToday],
    ]);
    expect(statuses.find((status: { budgetId: string }) => status.budgetId === 'daily').usedNano).toBe(0);

    const text = await runTollgate(['status', '--config', config], { cwd: directory.path });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      `not run by the app yet: its used leaves out ${formatUsd(spentToday)} spent earlier this period`,
    );
    expect(text.stderr).not.toContain('TOLLGATE_UNCOUNTED_SPEND');
    // Only read: the store has no counter for the budget the app never ran.
    const store = new SqliteStore({ path: path.join(directory.path, '.tollgate', 'tollgate.db') });
    const counters = await store.listCounters({
      budgetId: 'daily',
      period: `day:${today}`,
      limit: 10,
      now: Date.parse(TEST_NOW),
    });
    await store.close();
    expect(counters).toEqual([]);
  });

  it('reads the store without writing to it: the app’s budgets stay as it saved them', async () => {
    const config = path.join(directory.path, 'override.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(config, JSON.stringify({ budgets: [{ id: 'app', limitUsd: 100 }] }));
    const run = await runTollgate(['status', '--json', '--config', config], {
      cwd: directory.path,
    });
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout);
    expect(output.budgets).toMatchObject({ source: 'config', definitions: [{ id: 'app', definedAt: null }] });
    expect(output.statuses).toHaveLength(1);
    expect(output.statuses[0].limitNano).toBe(100e9);
    const store = new SqliteStore({ path: path.join(directory.path, '.tollgate', 'tollgate.db') });
    const saved = await store.readBudgets();
    await store.close();
    expect(saved.map((definition) => [definition.id, definition.limitNano, definition.definedAt])).toEqual([
      ['app', 5e9, Date.parse(TEST_NOW)],
      ['per-team', 2e9, Date.parse(TEST_NOW)],
      ['per-user', 5e8, Date.parse(TEST_NOW)],
      ['search-project', 1e9, Date.parse(TEST_NOW)],
    ]);
  });
});

describe('tollgate on a store with no budgets saved and no config file', () => {
  let cwd: string;

  beforeAll(async () => {
    // Recorded by a process that never defined a budget in the store (as any app before v2).
    cwd = path.join(directory.path, 'older-app');
    const store = new SqliteStore({ path: path.join(cwd, '.tollgate', 'tollgate.db') });
    await store.commit({ record: records[0]!, counters: [], now: records[0]!.timestamp });
    await store.close();
  });

  it('says so plainly, shows the spend it found, and invents no budget', async () => {
    const run = await runTollgate(['status'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No budgets are defined for this store.');
    expect(run.stdout).toContain(
      `Spend recorded in the last 30 days: ${formatUsd(records[0]!.cost)} over 1 request`,
    );
    expect(run.stdout).not.toMatch(/default|\$30\.00|no-budget-defined|GREEN/);
    const json = JSON.parse((await runTollgate(['status', '--json'], { cwd })).stdout);
    expect(json).toMatchObject({ budgets: { source: 'none', definitions: [] }, statuses: [] });
  });

  it('says one day and one request in the singular', async () => {
    const run = await runTollgate(['report', '--days', '1'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Spend from 2026-11-29 to 2026-11-29 \(1 day, UTC\) · /);
    expect(run.stdout).toMatch(/total \$[\d.]+ · 1 request · /);
    expect(run.stdout).toContain('What-if savings (the last day replayed on cheaper models)');
    expect(run.stdout).not.toMatch(/\b1 (days|requests)\b/);
    const html = path.join(cwd, 'one-day.html');
    expect((await runTollgate(['report', '--days', '1', '--html', html], { cwd })).code).toBe(0);
    const { readFileSync } = await import('node:fs');
    const page = readFileSync(html, 'utf8');
    expect(page).toContain(' · 1 day (UTC) · ');
    expect(page).toContain('The last day of each request type replayed on cheaper models');
    expect(page).not.toMatch(/\b1 (days|requests)\b/);
  });

  it('still reports the spend, with no budget in it', async () => {
    const run = await runTollgate(['report', '--json'], { cwd });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      budgets: { source: 'none' },
      statuses: [],
      total: { cost: { nanoUsd: records[0]!.cost } },
    });
    expect(run.stdout).not.toContain('no-budget-defined');
    const text = await runTollgate(['report'], { cwd });
    expect(text.stdout).toMatch(/Budgets\n {2}none defined/);
    const html = path.join(cwd, 'report.html');
    expect((await runTollgate(['report', '--html', html], { cwd })).code).toBe(0);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(html, 'utf8')).toContain('No budgets defined');
  });
});
