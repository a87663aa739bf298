import { usageError } from '../cli-error';
import { dayStart } from '../export/day-start';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * `--from` and `--to` as ms since epoch: a day (YYYY-MM-DD, in the report time zone) covers the
 * whole day, so `--from` is its start and `--to` the start of the next day; a time with its offset
 * (2026-11-29T08:00:00Z) is that instant, `--to` excluded.
 */
export function parseTimeBound(value: string, option: '--from' | '--to', timeZone: string): number {
  if (DAY.test(value)) {
    const time = Date.parse(`${value}T00:00:00Z`);
    if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value)
      throw usageError(`${option} ${value} is not a day that exists`);
    if (option === '--from') return dayStart(value, timeZone);
    const next = new Date(time + 86_400_000).toISOString().slice(0, 10);
    return dayStart(next, timeZone);
  }
  const time = TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time) || time < 0)
    throw usageError(
      `${option} must be a day (2026-11-29) or a time with its offset (2026-11-29T08:00:00Z), got ${JSON.stringify(value.slice(0, 40))}`,
    );
  return time;
}
