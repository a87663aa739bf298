import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatUsd } from '@tollgate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inDays, sumCost } from '../testing/expected-spend';
import { runTollgate } from '../testing/run-tollgate';
import { type SeededCall, seedSqliteHistory } from '../testing/seed-history';
import { temporaryDirectory } from '../testing/temporary-directory';

const ANSI = '\u001b[';
let directory: ReturnType<typeof temporaryDirectory>;
let calls: SeededCall[];
let storeArguments: string[];

beforeAll(async () => {
  directory = temporaryDirectory();
  const seeded = await seedSqliteHistory(path.join(directory.path, 'data'));
  calls = seeded.calls;
  storeArguments = ['--store', `sqlite:${seeded.databasePath}`, '--config', seeded.configPath];
});

afterAll(() => directory.remove());

describe('tollgate status --json', () => {
  it("gives each global budget's exact figures, level, days remaining and projection", async () => {
    const run = await runTollgate(['status', '--json', ...storeArguments]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout);
    expect(output).toMatchObject({
      schemaVersion: 1,
      generatedAt: '2026-11-29T12:00:00.000Z',
      strategy: 'BALANCED',
    });
    expect(output.budgets.source).toBe('config');
    const global = output.statuses.filter((status: { scope: string }) => status.scope === 'global');
    expect(global.map((status: { budgetId: string }) => status.budgetId)).toEqual(['app', 'daily']);

    const [app, daily] = global;
    const monthUsed = sumCost(calls, inDays('2026-11-01', '2026-11-29'));
    const lastSevenDays = sumCost(calls, inDays('2026-11-23', '2026-11-29'));
    const projected = monthUsed + Math.round(lastSevenDays / 7);
    const linear = Math.round((monthUsed * 30) / 29);
    expect(app).toEqual({
      budgetId: 'app',
      scope: 'global',
      period: 'month',
      periodKey: 'month:2026-11',
      timeZone: 'UTC',
      alertLevel: 'ORANGE',
      limitUsd: 30,
      limitNano: 30_000_000_000,
      usedUsd: monthUsed / 1e9,
      usedNano: monthUsed,
      remainingUsd: (30e9 - monthUsed) / 1e9,
      remainingNano: 30e9 - monthUsed,
      reservedUsd: 0,
      reservedNano: 0,
      projectedUsd: projected / 1e9,
      projectedNano: projected,
      percentageUsed: Math.round((monthUsed / 30e9) * 10_000) / 100,
      usedRatio: monthUsed / 30e9,
      daysRemaining: 2,
      overBudget: false,
      thresholds: { yellow: 0.5, orange: 0.75, red: 0.9, critical: 1 },
      projection: {
        method: 'recent-trend',
        basis: { unit: 'day', elapsed: 29, total: 30 },
        linearUsd: linear / 1e9,
        linearNano: linear,
        recentTrendUsd: projected / 1e9,
        recentTrendNano: projected,
        // The names before the units were spelled out, kept for one minor version.
        linear: { usd: linear / 1e9, nanoUsd: linear },
        recentTrend: { usd: projected / 1e9, nanoUsd: projected },
      },
      limit: { usd: 30, nanoUsd: 30_000_000_000 },
      used: { usd: monthUsed / 1e9, nanoUsd: monthUsed },
      remaining: { usd: (30e9 - monthUsed) / 1e9, nanoUsd: 30e9 - monthUsed },
      reserved: { usd: 0, nanoUsd: 0 },
      projected: { usd: projected / 1e9, nanoUsd: projected },
    });
    expect(app.percentageUsed).toBeGreaterThanOrEqual(75);
    expect(app.percentageUsed).toBeLessThan(90);

    const today = sumCost(calls, inDays('2026-11-29', '2026-11-29'));
    expect(daily).toMatchObject({
      budgetId: 'daily',
      period: 'day',
      periodKey: 'day:2026-11-29',
      alertLevel: 'YELLOW',
      usedNano: today,
      limitNano: 200_000_000,
      daysRemaining: 1,
      projection: {
        method: 'linear',
        basis: { unit: 'hour', elapsed: 12, total: 24 },
        recentTrendNano: null,
        recentTrendUsd: null,
      },
      projectedNano: Math.round((today * 24) / 12),
    });
    for (const status of output.statuses)
      for (const amount of [status.limitNano, status.usedNano, status.remainingNano, status.projectedNano])
        expect(Number.isSafeInteger(amount)).toBe(true);
  });

  it('lists every user with spend today for the per-user budget', async () => {
    const run = await runTollgate(['status', '--json', ...storeArguments]);
    const perUser = JSON.parse(run.stdout).statuses.filter(
      (status: { budgetId: string }) => status.budgetId === 'per-user',
    );
    const users = [
      ...new Set(calls.filter((call) => call.day === '2026-11-29' && call.userId).map((call) => call.userId)),
    ];
    expect(perUser.map((status: { scope: string }) => status.scope)).toEqual(
      users.sort().map((user) => `user:${user}`),
    );
    for (const status of perUser) {
      const user = status.scope.slice('user:'.length);
      expect(status.usedNano).toBe(
        sumCost(calls, (call) => call.day === '2026-11-29' && call.userId === user),
      );
    }
  });

  it("adds a user's own budget with --user", async () => {
    const run = await runTollgate(['status', '--json', '--user', 'u-1', ...storeArguments]);
    expect(run.code).toBe(0);
    const perUser = JSON.parse(run.stdout).statuses.find(
      (status: { budgetId: string }) => status.budgetId === 'per-user',
    );
    const today = sumCost(calls, (call) => call.day === '2026-11-29' && call.userId === 'u-1');
    expect(perUser).toMatchObject({ scope: 'user:u-1', usedNano: today, limitNano: 1e9 });
  });

  it('reads .tollgate/tollgate.db and .tollgate/config.json in the current directory by default', async () => {
    const cwd = path.join(directory.path, 'project');
    mkdirSync(path.join(cwd, '.tollgate'), { recursive: true });
    copyFileSync(
      path.join(directory.path, 'data', 'tollgate.db'),
      path.join(cwd, '.tollgate', 'tollgate.db'),
    );
    copyFileSync(
      path.join(directory.path, 'data', 'config.json'),
      path.join(cwd, '.tollgate', 'config.json'),
    );
    const run = await runTollgate(['status', '--json'], { cwd });
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout);
    expect(output.store).toBe('sqlite:.tollgate/tollgate.db');
    expect(output.statuses[0].used.nanoUsd).toBe(sumCost(calls, inDays('2026-11-01', '2026-11-29')));
  });

  it('takes the store and config from TOLLGATE_STORE and TOLLGATE_CONFIG', async () => {
    const run = await runTollgate(['status', '--json'], {
      cwd: directory.path,
      env: { TOLLGATE_STORE: storeArguments[1], TOLLGATE_CONFIG: storeArguments[3] },
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).budgets.source).toBe('config');
  });

  it('reads a plain path to an SQLite file from --store or TOLLGATE_STORE', async () => {
    const monthUsed = sumCost(calls, inDays('2026-11-01', '2026-11-29'));
    const config = ['--config', storeArguments[3]!];
    const relative = await runTollgate(['status', '--json', '--store', 'data/tollgate.db', ...config], {
      cwd: directory.path,
    });
    expect(relative.stderr).toBe('');
    expect(relative.code).toBe(0);
    const output = JSON.parse(relative.stdout);
    expect(output.store).toBe('sqlite:data/tollgate.db');
    expect(output.statuses[0].used.nanoUsd).toBe(monthUsed);
    // A file name alone, known by its extension; an absolute path from the environment.
    const bare = await runTollgate(['status', '--json', '--store', 'tollgate.db', ...config], {
      cwd: path.join(directory.path, 'data'),
    });
    expect(JSON.parse(bare.stdout).statuses[0].used.nanoUsd).toBe(monthUsed);
    const fromEnvironment = await runTollgate(['status', '--json', ...config], {
      env: { TOLLGATE_STORE: path.join(directory.path, 'data', 'tollgate.db') },
    });
    expect(fromEnvironment.code).toBe(0);
    expect(JSON.parse(fromEnvironment.stdout).statuses[0].used.nanoUsd).toBe(monthUsed);
  });

  it('shows the budgets the app saved in the store without a config file, and never a made-up one', async () => {
    const run = await runTollgate(['status', '--json', '--store', storeArguments[1]!], {
      cwd: directory.path,
    });
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout);
    expect(output.budgets.source).toBe('store');
    expect(output.budgets.definitions.map((definition: { id: string }) => definition.id)).toEqual([
      'app',
      'daily',
      'per-user',
    ]);
    expect(output.statuses.map((status: { budgetId: string }) => status.budgetId)).not.toContain('default');
    const [app] = output.statuses;
    expect(app).toMatchObject({
      budgetId: 'app',
      limit: { nanoUsd: 30e9 },
      used: { nanoUsd: sumCost(calls, inDays('2026-11-01', '2026-11-29')) },
    });
  });
});

describe('tollgate status (text)', () => {
  it('shows level, used, remaining, a bar, days remaining and the projection', async () => {
    const run = await runTollgate(['status', ...storeArguments]);
    expect(run.code).toBe(0);
    const monthUsed = sumCost(calls, inDays('2026-11-01', '2026-11-29'));
    const lastSevenDays = sumCost(calls, inDays('2026-11-23', '2026-11-29'));
    expect(run.stdout).not.toContain(ANSI);
    expect(run.stdout).toContain('ORANGE');
    expect(run.stdout).toContain('YELLOW');
    expect(run.stdout).toContain(
      `used ${formatUsd(monthUsed)} of $30.00 · remaining ${formatUsd(30e9 - monthUsed)}`,
    );
    expect(run.stdout).toContain('2 days remaining');
    expect(run.stdout).toContain(
      `projected ${formatUsd(monthUsed + Math.round(lastSevenDays / 7))} this month (recent-trend projection on 29 of 30 days)`,
    );
    expect(run.stdout).toContain(`${((monthUsed / 30e9) * 100).toFixed(1)}%`);
    expect(run.stdout).toMatch(/█+░+/);
  });

  it("draws no block in the bar until a block's worth of the budget is used", async () => {
    const config = path.join(directory.path, 'large-budget.json');
    writeFileSync(
      config,
      // The app's budget and its spend, against a limit far above it.
      JSON.stringify({ budgets: [{ id: 'app', limitUsd: 100_000, period: 'month', timeZone: 'UTC' }] }),
    );
    const run = await runTollgate(['status', '--store', storeArguments[1]!, '--config', config]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `used ${formatUsd(sumCost(calls, inDays('2026-11-01', '2026-11-29')))} of $100,000.00`,
    );
    const barLine = run.stdout.split('\n').find((line) => line.endsWith('%'));
    expect(barLine).toMatch(/^ {2}░+ {2}0\.0%$/);
  });

  it('colours only when asked, and NO_COLOR wins over FORCE_COLOR', async () => {
    const forced = await runTollgate(['status', ...storeArguments], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain(ANSI);
    const noColor = await runTollgate(['status', ...storeArguments], {
      env: { FORCE_COLOR: '1', NO_COLOR: '1' },
    });
    expect(noColor.code).toBe(0);
    expect(noColor.stdout).not.toContain(ANSI);
    expect(noColor.stdout).toContain('ORANGE');
    const flag = await runTollgate(['--color', 'status', ...storeArguments], { env: { NO_COLOR: '1' } });
    expect(flag.stdout).toContain(ANSI);
    const off = await runTollgate(['--no-color', 'status', ...storeArguments], { env: { FORCE_COLOR: '1' } });
    expect(off.stdout).not.toContain(ANSI);
  });
});
