import { describe, expect, it } from 'vitest';
import { createBudget } from '../budget/budget-manager';
import { type Period, periodWindow } from '../budget/period';
import type { UserPrice } from '../catalog/price-catalog';
import { projectPeriod, TREND_WINDOW_DAYS } from './projection';

/** Projects a budget period as `status()` does, at the instant `iso`. */
function project(
  period: Period,
  iso: string,
  used: number,
  dailySpend: { day: string; cost: number }[] = [],
  timeZone = 'UTC',
) {
  const now = new Date(iso);
  return projectPeriod({
    period,
    window: periodWindow(period, timeZone, now),
    timeZone,
    now,
    used,
    dailySpend,
  });
}

/** Seven days of spend ending `lastDay` (inclusive), oldest first. */
function week(lastDay: string, costs: readonly number[]): { day: string; cost: number }[] {
  const end = new Date(`${lastDay}T12:00:00Z`);
  return costs.map((cost, index) => {
    const day = new Date(end);
    day.setUTCDate(end.getUTCDate() - (costs.length - 1 - index));
    return { day: day.toISOString().slice(0, 10), cost };
  });
}

describe('projectPeriod: day budgets (hourly linear)', () => {
  it('scales the spend of the elapsed hours to 24, counting a started hour as elapsed', () => {
    // 09:30 is inside the 10th hour: 1,000,003 × 24 / 10 = 2,400,007.2 → 2,400,007.
    const projection = project('day', '2026-11-20T09:30:00Z', 1_000_003);
    expect(projection).toEqual({
      projectedNano: 2_400_007,
      method: 'linear',
      linearNano: 2_400_007,
      basis: { unit: 'hour', elapsed: 10, total: 24 },
    });
    expect(projection.recentTrendNano).toBeUndefined();
  });

  it('counts at least one hour at the very start of the day (the first day of the period)', () => {
    expect(project('day', '2026-11-20T00:00:00Z', 1_234)).toMatchObject({
      projectedNano: 1_234 * 24,
      basis: { unit: 'hour', elapsed: 1, total: 24 },
    });
    expect(project('day', '2026-11-20T01:00:00Z', 1_234).basis.elapsed).toBe(1);
    expect(project('day', '2026-11-20T01:00:00.001Z', 1_234)).toMatchObject({
      projectedNano: 1_234 * 12,
      basis: { elapsed: 2 },
    });
  });

  it('projects exactly the spend in the last hour of the day', () => {
    expect(project('day', '2026-11-20T23:59:59.999Z', 987_654)).toMatchObject({
      projectedNano: 987_654,
      linearNano: 987_654,
      basis: { elapsed: 24, total: 24 },
    });
  });

  it('projects $0 with an empty history', () => {
    expect(project('day', '2026-11-20T15:00:00Z', 0)).toMatchObject({
      projectedNano: 0,
      linearNano: 0,
      method: 'linear',
    });
  });

  it('uses the real length of a DST day: 23 hours in spring, 25 in autumn', () => {
    // New York springs forward on 8 March 2026: the day runs 05:00Z → 04:00Z next day.
    // 12:00Z is 7 real hours in: 700 × 23 / 7 = 2,300.
    expect(project('day', '2026-03-08T12:00:00Z', 700, [], 'America/New_York')).toEqual({
      projectedNano: 2_300,
      method: 'linear',
      linearNano: 2_300,
      basis: { unit: 'hour', elapsed: 7, total: 23 },
    });
    // It falls back on 1 November 2026: 04:00Z → 05:00Z next day. 09:00Z is 5 hours in: 500 × 25 / 5.
    expect(project('day', '2026-11-01T09:00:00Z', 500, [], 'America/New_York')).toMatchObject({
      projectedNano: 2_500,
      basis: { unit: 'hour', elapsed: 5, total: 25 },
    });
  });
});

describe('projectPeriod: month budgets', () => {
  it('is linear on the first day of the month, counting today as a whole day', () => {
    expect(project('month', '2026-11-01T05:00:00Z', 1_000)).toEqual({
      projectedNano: 30_000,
      method: 'linear',
      linearNano: 30_000,
      basis: { unit: 'day', elapsed: 1, total: 30 },
    });
  });

  it('stays linear before a week of data, rounding half up', () => {
    // 6 days of a 31-day month: 1,000,001 × 31 / 6 = 5,166,671.83… → 5,166,672.
    const projection = project(
      'month',
      '2026-12-06T23:00:00Z',
      1_000_001,
      week('2026-12-06', [1, 2, 3, 4, 5, 6, 7]),
    );
    expect(projection).toEqual({
      projectedNano: 5_166_672,
      method: 'linear',
      linearNano: 5_166_672,
      basis: { unit: 'day', elapsed: 6, total: 31 },
    });
  });

  it('switches to the recent trend on the seventh day', () => {
    // 1–7 November cost 100…700 (2,800 in all); 23 days left: 2,800 + 2,800 × 23 / 7 = 2,800 + 9,200.
    const spend = week('2026-11-07', [100, 200, 300, 400, 500, 600, 700]);
    expect(project('month', '2026-11-07T10:00:00Z', 2_800, spend)).toEqual({
      projectedNano: 12_000,
      method: 'recent-trend',
      linearNano: 12_000,
      recentTrendNano: 12_000,
      basis: { unit: 'day', elapsed: 7, total: 30 },
    });
    expect(TREND_WINDOW_DAYS).toBe(7);
  });

  it('follows the last seven days, not the whole month, once a week of data exists', () => {
    // Spend was 1,000,000 a day for 13 days, then 10,000,000 a day from the 14th to the 20th.
    const spend = [
      ...Array.from({ length: 13 }, (_, index) => ({
        day: `2026-11-${String(index + 1).padStart(2, '0')}`,
        cost: 1_000_000,
      })),
      ...week(
        '2026-11-20',
        [10_000_000, 10_000_000, 10_000_000, 10_000_000, 10_000_000, 10_000_000, 10_000_003],
      ),
    ];
    const used = 13_000_000 + 70_000_003;
    const projection = project('month', '2026-11-20T18:00:00Z', used, spend);
    // Trend: 83,000,003 + 70,000,003 × 10 / 7 = 83,000,003 + 100,000,004.29 → 183,000,007.
    // Linear: 83,000,003 × 30 / 20 = 124,500,004.5 → 124,500,005.
    expect(projection).toEqual({
      projectedNano: 183_000_007,
      method: 'recent-trend',
      linearNano: 124_500_005,
      recentTrendNano: 183_000_007,
      basis: { unit: 'day', elapsed: 20, total: 30 },
    });
  });

  it('ignores spend outside the seven-day window', () => {
    const spend = [
      { day: '2026-11-13', cost: 5_000_000 },
      { day: '2026-11-14', cost: 7 },
    ];
    // Only the 14th is in the window 14–20 November: 5,000,007 + 7 × 10 / 7.
    expect(project('month', '2026-11-20T08:00:00Z', 5_000_007, spend).recentTrendNano).toBe(5_000_017);
  });

  it('projects exactly what was spent on the last day of the month', () => {
    const spend = week('2026-11-30', [9, 9, 9, 9, 9, 9, 9]);
    expect(project('month', '2026-11-30T23:00:00Z', 1_000, spend)).toMatchObject({
      projectedNano: 1_000,
      linearNano: 1_000,
      recentTrendNano: 1_000,
      basis: { elapsed: 30, total: 30 },
    });
  });

  it('projects $0 with an empty history, before and after a week', () => {
    expect(project('month', '2026-11-03T12:00:00Z', 0)).toMatchObject({ projectedNano: 0, method: 'linear' });
    expect(project('month', '2026-11-15T12:00:00Z', 0)).toMatchObject({
      projectedNano: 0,
      linearNano: 0,
      recentTrendNano: 0,
      method: 'recent-trend',
    });
  });

  it('counts the days of the month in its own time zone', () => {
    // 16:00Z on 30 November is 01:00 on 1 December in Tokyo: day 1 of 31.
    expect(project('month', '2026-11-30T16:00:00Z', 500, [], 'Asia/Tokyo')).toMatchObject({
      projectedNano: 15_500,
      method: 'linear',
      basis: { elapsed: 1, total: 31 },
    });
    // 07:30Z on 11 November is 23:30 on the 10th in Los Angeles: 10 of 30 days, window 4–10 November.
    const spend = [{ day: '2026-11-03', cost: 1_000 }, ...week('2026-11-10', [10, 20, 30, 40, 50, 60, 70])];
    expect(project('month', '2026-11-11T07:30:00Z', 1_280, spend, 'America/Los_Angeles')).toEqual({
      // 1,280 + 280 × 20 / 7 = 1,280 + 800
      projectedNano: 2_080,
      method: 'recent-trend',
      linearNano: 3_840,
      recentTrendNano: 2_080,
      basis: { unit: 'day', elapsed: 10, total: 30 },
    });
  });

  it('counts calendar days across a daylight-saving change', () => {
    // March 2026 in New York has a 23-hour day but 31 calendar days; 03:30Z on the 20th is the 19th locally.
    expect(project('month', '2026-03-20T03:30:00Z', 19_000, [], 'America/New_York')).toMatchObject({
      linearNano: 31_000,
      basis: { elapsed: 19, total: 31 },
    });
  });
});

describe('projectPeriod: week budgets (ISO weeks from Monday)', () => {
  it('is linear from Monday to Saturday', () => {
    expect(project('week', '2026-11-16T08:00:00Z', 3_000)).toEqual({
      projectedNano: 21_000,
      method: 'linear',
      linearNano: 21_000,
      basis: { unit: 'day', elapsed: 1, total: 7 },
    });
    // Saturday: 6 days, 3,001 × 7 / 6 = 3,501.17 → 3,501.
    expect(project('week', '2026-11-21T20:00:00Z', 3_001)).toMatchObject({
      projectedNano: 3_501,
      method: 'linear',
      basis: { elapsed: 6, total: 7 },
    });
  });

  it('uses the recent trend on Sunday, the seventh day, with nothing left to add', () => {
    const spend = week('2026-11-22', [1, 2, 3, 4, 5, 6, 7]);
    expect(project('week', '2026-11-22T20:00:00Z', 28, spend)).toEqual({
      projectedNano: 28,
      method: 'recent-trend',
      linearNano: 28,
      recentTrendNano: 28,
      basis: { unit: 'day', elapsed: 7, total: 7 },
    });
  });

  it('runs across the end of a month', () => {
    // The week of Monday 30 November: Wednesday 2 December is day 3.
    expect(project('week', '2026-12-02T12:00:00Z', 300)).toMatchObject({
      projectedNano: 700,
      basis: { elapsed: 3, total: 7 },
    });
  });
});

describe('projectPeriod: total budgets', () => {
  it('has no period end, so the projection is what was spent', () => {
    expect(project('total', '2026-11-20T12:00:00Z', 123_456_789)).toEqual({
      projectedNano: 123_456_789,
      method: 'none',
      linearNano: 123_456_789,
      basis: { unit: 'day', elapsed: 0, total: 0 },
    });
    expect(project('total', '2026-11-20T12:00:00Z', 0).projectedNano).toBe(0);
  });
});

describe('status projections from recorded usage', () => {
  // One nano-USD per input token, so every spend below is exact.
  const meter: UserPrice = { provider: 'acme', model: 'meter', prices: { inputPerMTok: 0.001 } };
  const at = (iso: string) => Date.parse(iso);

  it('projects each budget over its own period from the daily spend in the store', async () => {
    const budget = createBudget({
      budgets: [
        { id: 'month', limitUsd: 30, period: 'month' },
        { id: 'week', limitUsd: 10, period: 'week' },
        { id: 'day', limitUsd: 2, period: 'day' },
        { id: 'total', limitUsd: 100, period: 'total' },
      ],
      prices: [meter],
      clock: () => at('2026-11-10T12:00:00Z'),
    });
    const spend = [
      ['2026-11-01T09:00:00Z', 1_000],
      ['2026-11-03T09:00:00Z', 2_000],
      ['2026-11-04T09:00:00Z', 4_000],
      ['2026-11-09T23:59:59Z', 500],
      ['2026-11-10T01:00:00Z', 8_000],
    ] as const;
    for (const [iso, tokens] of spend) {
      await budget.recordUsage({
        provider: 'acme',
        model: 'meter',
        usage: { inputTokens: tokens },
        timestamp: at(iso),
      });
    }
    const statuses = Object.fromEntries((await budget.status()).map((status) => [status.budgetId, status]));

    // Month: 15,500 spent, 10 of 30 days; the last 7 days (4–10 Nov) cost 12,500: 15,500 + 12,500 × 20 / 7.
    expect(statuses.month!.projection).toEqual({
      projectedNano: 51_214,
      method: 'recent-trend',
      linearNano: 46_500,
      recentTrendNano: 51_214,
      basis: { unit: 'day', elapsed: 10, total: 30 },
    });
    expect(statuses.month!.projectedNano).toBe(51_214);
    expect(statuses.month!.projectedUsd).toBe(0.000051214);
    // Week of Monday 9 November: 8,500 spent, day 2 of 7.
    expect(statuses.week!.projection).toMatchObject({
      projectedNano: 29_750,
      method: 'linear',
      basis: { elapsed: 2 },
    });
    // Day: 8,000 spent by 12:00, the 12th hour (ceil of 12 is 12): 8,000 × 24 / 12.
    expect(statuses.day!.projection).toMatchObject({
      projectedNano: 16_000,
      basis: { unit: 'hour', elapsed: 12 },
    });
    // Total: everything ever spent.
    expect(statuses.total!.projection).toMatchObject({ projectedNano: 15_500, method: 'none' });
  });

  it('projects $0 for every period before anything is recorded', async () => {
    const budget = createBudget({
      budgets: [
        { id: 'month', limitUsd: 30, period: 'month', timeZone: 'Europe/Paris' },
        { id: 'week', limitUsd: 10, period: 'week' },
        { id: 'day', limitUsd: 2, period: 'day' },
        { id: 'total', limitUsd: 100, period: 'total' },
      ],
      clock: () => at('2026-11-20T12:00:00Z'),
    });
    for (const status of await budget.status()) {
      expect(status.projectedNano).toBe(0);
      expect(status.projectedUsd).toBe(0);
    }
  });
});
