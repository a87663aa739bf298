import type { PeriodCache } from '../budget/period-cache';
import { orDefault, validateCount, validateDate } from '../errors/validation';
import { ValidationError } from '../errors/validation-error';

export interface DayRangeOptions {
  /** First and last day (YYYY-MM-DD, or a Date read in the report time zone), inclusive. */
  from?: string | Date;
  to?: string | Date;
  /** When `from` is absent: this many days ending `to` (default 30). */
  days?: number;
}

/** The days a report covers, as YYYY-MM-DD in the report time zone. */
export function dayRange(
  options: DayRangeOptions,
  calendar: { periods: PeriodCache; timeZone: string; clock: () => number },
): { fromDay: string; toDay: string } {
  const toDay =
    options.to === undefined
      ? calendar.periods.day(calendar.timeZone, calendar.clock())
      : dayOf(options.to, 'to', calendar);
  if (options.from !== undefined) {
    const fromDay = dayOf(options.from, 'from', calendar);
    if (fromDay > toDay) throw new ValidationError({ field: 'from', message: `must not be after ${toDay}` });
    return { fromDay, toDay };
  }
  const days = validateCount(orDefault(options.days, 30), 'days', 3660) || 30;
  const start = new Date(`${toDay}T12:00:00Z`);
  start.setUTCDate(start.getUTCDate() - (days - 1));
  return { fromDay: start.toISOString().slice(0, 10), toDay };
}

function dayOf(
  value: string | Date,
  field: string,
  calendar: { periods: PeriodCache; timeZone: string },
): string {
  if (value instanceof Date)
    return calendar.periods.day(calendar.timeZone, validateDate(value, field).getTime());
  // The pattern alone lets days that do not exist through (2026-02-30, 2026-13-45).
  const time =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? Date.parse(`${value}T00:00:00Z`)
      : Number.NaN;
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value)
    throw new ValidationError({ field, message: 'must be a Date or a YYYY-MM-DD day' });
  return value;
}
