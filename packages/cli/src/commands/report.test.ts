import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createBudget, formatUsd } from '@tollgate/core';
import { SqliteStore } from '@tollgate/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupCalls, inDays, sumCost } from '../testing/expected-spend';
import { runTollgate } from '../testing/run-tollgate';
import { type SeededCall, seedSqliteHistory } from '../testing/seed-history';
import { temporaryDirectory } from '../testing/temporary-directory';

let directory: ReturnType<typeof temporaryDirectory>;
let calls: SeededCall[];
let storeArguments: string[];
/** The default range: 30 days ending on TEST_NOW's day. */
const inRange = inDays('2026-10-31', '2026-11-29');

beforeAll(async () => {
  directory = temporaryDirectory();
  const seeded = await seedSqliteHistory(path.join(directory.path, 'data'));
  calls = seeded.calls;
  storeArguments = ['--store', `sqlite:${seeded.databasePath}`, '--config', seeded.configPath];
});

afterAll(() => directory.remove());

interface Group {
  key: Record<string, string | null>;
  costUsd: number;
  costNano: number;
  share: number;
  usage: Record<string, number>;
}

describe('tollgate report --json', () => {
  it('gives exact totals, breakdowns and every day of the range', async () => {
    const run = await runTollgate([
      'report',
      '--json',
      '--by',
      'provider,model,type,user,day',
      ...storeArguments,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    const inRangeCalls = calls.filter(inRange);
    const total = sumCost(inRangeCalls);

    expect(report).toMatchObject({
      schemaVersion: 1,
      generatedAt: '2026-11-29T12:00:00.000Z',
      range: { fromDay: '2026-10-31', toDay: '2026-11-29', days: 30, timeZone: 'UTC' },
      total: { costUsd: total / 1e9, costNano: total, cost: { usd: total / 1e9, nanoUsd: total } },
      strategy: 'BALANCED',
    });
    expect(report.total.usage.requests).toBe(inRangeCalls.length);
    expect(report.total.usage.inputTokens).toBe(
      inRangeCalls.reduce((sum, call) => sum + call.inputTokens, 0),
    );
    expect(report.total.usage.outputTokens).toBe(
      inRangeCalls.reduce((sum, call) => sum + call.outputTokens, 0),
    );
    expect(report.breakdowns.map((breakdown: { by: string[] }) => breakdown.by)).toEqual([
      ['provider'],
      ['model'],
      ['requestType'],
      ['userId'],
      ['day'],
    ]);

    const dimensions: Record<string, (call: SeededCall) => string> = {
      provider: (call) => call.provider,
      model: (call) => call.model,
      requestType: (call) => call.requestType,
      userId: (call) => call.userId ?? '',
      day: (call) => call.day,
    };
    for (const breakdown of report.breakdowns as { by: string[]; groups: Group[] }[]) {
      const dimension = breakdown.by[0]!;
      const expected = groupCalls(inRangeCalls, dimensions[dimension]!);
      expect(breakdown.groups).toHaveLength(expected.size);
      for (const group of breakdown.groups) {
        const value = group.key[dimension] ?? '';
        expect(group.costNano, `${dimension} ${value}`).toBe(expected.get(value)!.cost);
        expect(group.costUsd).toBe(group.costNano / 1e9);
        expect(group.usage.requests).toBe(expected.get(value)!.requests);
        expect(group.share).toBeCloseTo(group.costNano / total, 12);
      }
      const costs = breakdown.groups.map((group) => group.costNano);
      if (dimension !== 'day') expect(costs).toEqual([...costs].sort((a, b) => b - a));
      expect(costs.reduce((sum, cost) => sum + cost, 0)).toBe(total);
    }
    const users = report.breakdowns[3].groups.map((group: Group) => group.key.userId);
    expect(users).toContain(null);

    expect(report.daily).toHaveLength(30);
    expect(report.daily[0].day).toBe('2026-10-31');
    expect(report.daily[29].day).toBe('2026-11-29');
    const perDay = groupCalls(inRangeCalls, (call) => call.day);
    for (const day of report.daily) {
      expect(day.costNano).toBe(perDay.get(day.day)?.cost ?? 0);
      expect(day.requests).toBe(perDay.get(day.day)?.requests ?? 0);
    }
    // The seeded history has one day without calls.
    expect(report.daily.find((day: { day: string }) => day.day === '2026-11-19')).toEqual({
      day: '2026-11-19',
      costUsd: 0,
      costNano: 0,
      cost: { usd: 0, nanoUsd: 0 },
      requests: 0,
    });
  });

  it('carries the statuses, recommendations and what-if savings', async () => {
    const [report, status] = await Promise.all([
      runTollgate(['report', '--json', ...storeArguments]).then((run) => JSON.parse(run.stdout)),
      runTollgate(['status', '--json', ...storeArguments]).then((run) => JSON.parse(run.stdout)),
    ]);
    expect(report.statuses).toEqual(status.statuses);
    const topProvider = report.recommendations.find((item: { kind: string }) => item.kind === 'top-provider');
    const providers = groupCalls(calls.filter(inRange), (call) => call.provider);
    const [costliest] = [...providers.entries()].sort((a, b) => b[1].cost - a[1].cost);
    expect(topProvider.message).toContain(
      `${costliest![0]} is the most expensive provider: ${formatUsd(costliest![1].cost)}`,
    );
    expect(report.recommendations.some((item: { kind: string }) => item.kind === 'projection')).toBe(true);

    expect(report.savings.length).toBeGreaterThan(0);
    for (const saving of report.savings) {
      expect(saving.savingNano).toBe(saving.actualCostNano - saving.replayedCostNano);
      expect(saving.savingNano).toBeGreaterThan(0);
      expect(saving.saving).toEqual({ usd: saving.savingUsd, nanoUsd: saving.savingNano });
      const actual = sumCost(
        calls.filter(inRange),
        (call) => call.requestType === saving.requestType && call.model === saving.from.model,
      );
      expect(saving.actualCostNano).toBe(actual);
    }
    const savings = report.savings.map((saving: { savingNano: number }) => saving.savingNano);
    expect(savings).toEqual([...savings].sort((a, b) => b - a));
    const recommended = report.recommendations.filter((item: { kind: string }) => item.kind === 'savings');
    expect(recommended.map((item: { savings: unknown }) => item.savings)).toEqual(
      report.savings.slice(0, recommended.length),
    );
  });

  it('answers --from, --since and --to (export options) with what a report takes, before opening the store', async () => {
    for (const flag of ['--from', '--since', '--to']) {
      const run = await runTollgate(['report', flag, '2026-11-01', '--store', 'sqlite:/nope/x.db']);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        `tollgate: report has no ${flag}: it covers the last N days, today included (--days <n>); export takes a range of days (--from, --to)\n`,
      );
    }
  });

  it('groups by several dimensions together with +, and narrows the range with --days', async () => {
    const run = await runTollgate([
      'report',
      '--json',
      '--by',
      'provider+model',
      '--days',
      '7',
      ...storeArguments,
    ]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    const lastWeek = calls.filter(inDays('2026-11-23', '2026-11-29'));
    expect(report.range).toMatchObject({ fromDay: '2026-11-23', toDay: '2026-11-29', days: 7 });
    expect(report.total.costNano).toBe(sumCost(lastWeek));
    expect(report.daily).toHaveLength(7);
    const [breakdown] = report.breakdowns;
    expect(breakdown.by).toEqual(['provider', 'model']);
    const expected = groupCalls(lastWeek, (call) => `${call.provider}/${call.model}`);
    for (const group of breakdown.groups as Group[])
      expect(group.costNano).toBe(expected.get(`${group.key.provider}/${group.key.model}`)!.cost);
  });
});

describe('tollgate report (text)', () => {
  it('prints tables with bars, the daily sparkline and recommendations, with the right figures', async () => {
    const run = await runTollgate(['report', ...storeArguments]);
    expect(run.code).toBe(0);
    // No progress indicator when stderr is not a terminal.
    expect(run.stderr).toBe('');
    const output = run.stdout;
    expect(output).not.toContain('\u001b[');
    const inRangeCalls = calls.filter(inRange);
    expect(output).toContain('Spend from 2026-10-31 to 2026-11-29 (30 days, UTC)');
    expect(output).toContain(`total ${formatUsd(sumCost(inRangeCalls))} · ${inRangeCalls.length} requests`);
    const sparkline = output.split('\n').find((line) => /^\s+[▁▂▃▄▅▆▇█]+$/.test(line));
    expect(sparkline?.trim()).toHaveLength(30);
    for (const title of [
      'By provider',
      'By model',
      'By type',
      'By day',
      'Budgets',
      'Recommendations',
      'What-if savings',
    ])
      expect(output).toContain(title);
    for (const [provider, group] of groupCalls(inRangeCalls, (call) => call.provider)) {
      const row = output.split('\n').find((line) => line.trimStart().startsWith(`${provider} `));
      expect(row, provider).toBeDefined();
      expect(row).toContain(formatUsd(group.cost));
      expect(row).toMatch(/[█▏▎▍▌▋▊▉]$/);
    }
  });

  it('says when the daily sparkline shows fewer days than the report covers', async () => {
    const long = await runTollgate(['report', '--days', '400', '--by', 'provider', ...storeArguments], {
      env: { COLUMNS: '80' },
    });
    expect(long.code).toBe(0);
    const lines = long.stdout.split('\n');
    const title = lines.findIndex((line) => line.startsWith('Daily spend'));
    expect(lines[title]).toBe('Daily spend (the last 74 of 400 days shown; --json or --html for all)');
    expect(lines[title + 1]!.trim()).toMatch(/^[▁▂▃▄▅▆▇█]{74}$/);
    expect(lines[title + 2]!.trim()).toMatch(/^2026-09-17 +2026-11-29$/);

    // A range that fits says nothing more.
    const short = await runTollgate(['report', '--by', 'provider', ...storeArguments], {
      env: { COLUMNS: '80' },
    });
    expect(short.stdout.split('\n')).toContain('Daily spend');
    expect(short.stdout).not.toContain('days shown');
  });

  it('says how many calls were recorded from local counts, only when there are some', async () => {
    const databasePath = path.join(directory.path, 'estimated', 'tollgate.db');
    mkdirSync(path.dirname(databasePath), { recursive: true });
    const now = Date.parse('2026-11-29T10:00:00.000Z');
    const budget = createBudget({
      store: new SqliteStore({ path: databasePath }),
      budgets: [{ id: 'app', limitUsd: 30, period: 'month', timeZone: 'UTC' }],
      clock: () => now,
    });
    for (const [index, estimated] of [true, false, true].entries())
      await budget.recordUsage({
        provider: 'openai',
        model: 'gpt-4o-mini',
        usage: { inputTokens: 1_000, outputTokens: 100 },
        requestId: `call-${index}`,
        timestamp: now - index * 60_000,
        estimated,
      });
    await budget.close();
    const htmlPath = path.join(directory.path, 'estimated', 'report.html');
    const store = ['--store', `sqlite:${databasePath}`];
    const line = "2 calls were recorded from local counts (estimated), not from the provider's usage";

    const json = JSON.parse((await runTollgate(['report', '--json', ...store])).stdout);
    expect(json.total.usage.estimatedRequests).toBe(2);
    const text = await runTollgate(['report', '--html', htmlPath, ...store]);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(/^Spend from 2026-10-31 to 2026-11-29 /),
      expect.stringMatching(/^ {2}total \$[\d.]+ · 3 requests · /),
      `  ${line}`,
    ]);
    const html = readFileSync(htmlPath, 'utf8');
    expect(html).toContain(
      `<p class="meta" id="estimated" data-estimated-requests="2">${line.replace("'", '&#39;')}.</p>`,
    );

    // The seeded history has none: neither report mentions them.
    const seededHtml = path.join(directory.path, 'estimated', 'seeded.html');
    const seeded = await runTollgate(['report', '--html', seededHtml, ...storeArguments]);
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).not.toContain('local counts');
    expect(readFileSync(seededHtml, 'utf8')).not.toContain('local counts');
  });

  it('shows the most recent days of a long day breakdown, and sums the rest', async () => {
    const run = await runTollgate(['report', '--by', 'day', '--limit', '3', ...storeArguments]);
    expect(run.code).toBe(0);
    const earlier = calls.filter(inDays('2026-10-31', '2026-11-26'));
    // Days without spend have no row.
    const earlierDays = new Set(earlier.map((call) => call.day)).size;
    expect(run.stdout).toContain(`… ${earlierDays} earlier days: ${formatUsd(sumCost(earlier))}`);
    expect(run.stdout).toMatch(/2026-11-29\s+\$/);
    expect(run.stdout).not.toMatch(/2026-11-26\s+\$/);
  });
});
