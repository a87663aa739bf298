import { calendarLibrary } from '../budget/calendar-library';
import { renamedFields } from '../deprecation/renamed-fields';
import type { NanoUsd } from '../money/money';
import type { Period, PeriodWindow } from '../budget/period';

/** How a projection was made: the period's average so far, the recent days' trend, or none (no spend yet). */
export type ProjectionMethod = 'linear' | 'recent-trend' | 'none';

/** What a budget's period is projected to cost, and how that was worked out. */
export interface Projection {
  /** The projection used for status and recommendations. */
  readonly projectedNano: NanoUsd;
  readonly method: ProjectionMethod;
  readonly linearNano: NanoUsd;
  /** Undefined when the period is a single day or has no end. */
  readonly recentTrendNano?: NanoUsd;
  /** How much history the figure rests on: elapsed days (hours for a day budget). */
  readonly basis: { readonly unit: 'day' | 'hour'; readonly elapsed: number; readonly total: number };
  /** @deprecated Use `projectedNano`. */
  readonly projected: NanoUsd;
  /** @deprecated Use `linearNano`. */
  readonly linear: NanoUsd;
  /** @deprecated Use `recentTrendNano`. */
  readonly recentTrend?: NanoUsd;
}

type ProjectionFields = Omit<Projection, 'projected' | 'linear' | 'recentTrend'>;

const PROJECTION = renamedFields<Projection>('Projection', {
  projected: 'projectedNano',
  linear: 'linearNano',
  recentTrend: 'recentTrendNano',
});

function projectionOf(fields: ProjectionFields): Projection {
  return Object.assign(new PROJECTION(), fields);
}

export const TREND_WINDOW_DAYS = 7;

/**
 * Where a budget's period ends up at its current pace. Linear: spend so far scaled
 * to the whole period. Recent trend: spend so far plus the average of the last seven
 * days for each day left; used once a week of data exists, since it follows a
 * change of pace that the linear figure smooths away.
 */
export function projectPeriod(input: {
  period: Period;
  window: PeriodWindow;
  timeZone: string;
  now: Date;
  used: NanoUsd;
  dailySpend: readonly { day: string; cost: NanoUsd }[];
}): Projection {
  const { window, used, now } = input;
  if (!window.end)
    return projectionOf({
      projectedNano: used,
      method: 'none',
      linearNano: used,
      basis: { unit: 'day', elapsed: 0, total: 0 },
    });
  if (input.period === 'day') {
    const totalHours = Math.round((window.end.getTime() - window.start.getTime()) / 3_600_000);
    const elapsed = Math.min(
      totalHours,
      Math.max(1, Math.ceil((now.getTime() - window.start.getTime()) / 3_600_000)),
    );
    const linear = Math.round((used * totalHours) / elapsed);
    return projectionOf({
      projectedNano: linear,
      method: 'linear',
      linearNano: linear,
      basis: { unit: 'hour', elapsed, total: totalHours },
    });
  }
  const { TZDate, addDays, differenceInCalendarDays, format } = calendarLibrary();
  const local = new TZDate(now.getTime(), input.timeZone);
  const totalDays = differenceInCalendarDays(window.end, window.start);
  const elapsed = Math.min(totalDays, differenceInCalendarDays(local, window.start) + 1);
  const linear = Math.round((used * totalDays) / elapsed);
  const daysLeft = totalDays - elapsed;
  if (elapsed < TREND_WINDOW_DAYS) {
    return projectionOf({
      projectedNano: linear,
      method: 'linear',
      linearNano: linear,
      basis: { unit: 'day', elapsed, total: totalDays },
    });
  }
  const trendDays = new Set<string>();
  for (let offset = 0; offset < TREND_WINDOW_DAYS; offset++)
    trendDays.add(format(addDays(local, -offset), 'yyyy-MM-dd'));
  let recent = 0;
  for (const { day, cost } of input.dailySpend) if (trendDays.has(day)) recent += cost;
  const recentTrend = used + Math.round((recent * daysLeft) / TREND_WINDOW_DAYS);
  return projectionOf({
    projectedNano: recentTrend,
    method: 'recent-trend',
    linearNano: linear,
    recentTrendNano: recentTrend,
    basis: { unit: 'day', elapsed, total: totalDays },
  });
}
