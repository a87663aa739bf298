import { suggestionFor } from '../errors/did-you-mean';
import { validateOneOf } from '../errors/validation';
import { ValidationError } from '../errors/validation-error';
import { calendarLibrary } from './calendar-library';

/** The periods a budget can run over; `total` never resets. */
export const PERIODS = ['day', 'week', 'month', 'total'] as const;
/** One of `PERIODS`. */
export type Period = (typeof PERIODS)[number];

/** What a period is often called (`daily`), which no spelling rule brings back to its name here. */
const PERIOD_ADJECTIVES = new Map<string, Period>([
  ['daily', 'day'],
  ['weekly', 'week'],
  ['monthly', 'month'],
]);

/** Checks a period; `daily` and the like are refused with the period they name. */
export function validatePeriod(value: unknown, field: string): Period {
  const named = typeof value === 'string' ? PERIOD_ADJECTIVES.get(value.toLowerCase()) : undefined;
  if (named)
    throw new ValidationError({
      field,
      message: `must be one of ${PERIODS.join(', ')} (did you mean '${named}'?)`,
    });
  return validateOneOf(value, field, PERIODS);
}

/** One period of a budget, in its time zone. `end` is the start of the next period. */
export interface PeriodWindow {
  readonly key: string;
  readonly start: Date;
  /** Infinite for `total`. */
  readonly end: Date | undefined;
}

/** The calendar period containing `at` in `timeZone` (weeks start on Monday, ISO 8601). */
export function periodWindow(period: Period, timeZone: string, at: Date): PeriodWindow {
  const { TZDate, addDays, addMonths, addWeeks, format, startOfDay, startOfISOWeek, startOfMonth } =
    calendarLibrary();
  const local = new TZDate(at.getTime(), timeZone);
  switch (period) {
    case 'day': {
      const start = startOfDay(local);
      return { key: `day:${format(start, 'yyyy-MM-dd')}`, start, end: addDays(start, 1) };
    }
    case 'week': {
      const start = startOfISOWeek(local);
      return { key: `week:${format(start, "RRRR-'W'II")}`, start, end: addWeeks(start, 1) };
    }
    case 'month': {
      const start = startOfMonth(local);
      return { key: `month:${format(start, 'yyyy-MM')}`, start, end: addMonths(start, 1) };
    }
    case 'total':
      return { key: 'total', start: new Date(0), end: undefined };
  }
}

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function dayKey(at: Date | number, timeZone: string): string {
  const { TZDate, format } = calendarLibrary();
  return format(new TZDate(typeof at === 'number' ? at : at.getTime(), timeZone), 'yyyy-MM-dd');
}

/** Whole calendar days from `at` to the start of the next period (20 December → 1 January is 12). */
export function daysRemaining(window: PeriodWindow, timeZone: string, at: Date): number | undefined {
  if (!window.end) return undefined;
  const { TZDate, differenceInCalendarDays } = calendarLibrary();
  return differenceInCalendarDays(window.end, new TZDate(at.getTime(), timeZone));
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks an IANA time zone and spells it as the database does (`utc` → `UTC`); a mistyped one is
 * refused with the zone it most likely means.
 */
export function validateTimeZone(value: unknown, field: string): string {
  if (typeof value === 'string' && isValidTimeZone(value)) return canonicalCase(value);
  const suggestion =
    typeof value === 'string' ? suggestionFor(value, Intl.supportedValuesOf('timeZone')) : '';
  throw new ValidationError({
    field,
    message: `must be an IANA time zone such as "Europe/Paris" or "UTC"${suggestion}`,
  });
}

/**
 * The spelling of a valid zone that differs from it only in letter case. Not the runtime's
 * canonical zone itself: Node 20 resolves `Asia/Kolkata` to `Asia/Calcutta`, a name the app did
 * not write.
 */
function canonicalCase(timeZone: string): string {
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  if (resolved === timeZone) return timeZone;
  const lower = timeZone.toLowerCase();
  if (resolved.toLowerCase() === lower) return resolved;
  return Intl.supportedValuesOf('timeZone').find((name) => name.toLowerCase() === lower) ?? timeZone;
}
