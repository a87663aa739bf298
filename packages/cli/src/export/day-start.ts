import { periodWindow } from '@tollgate/core';

/** When a day (YYYY-MM-DD) starts in a time zone, ms since epoch. */
export function dayStart(day: string, timeZone: string): number {
  const noon = Date.parse(`${day}T12:00:00Z`);
  // Noon UTC falls on that day for offsets from −12 h to +11 h; the early hours do for +12 to +14.
  for (const at of [noon, noon - 12 * 3_600_000, noon + 11 * 3_600_000]) {
    const window = periodWindow('day', timeZone, new Date(at));
    if (window.key === `day:${day}`) return window.start.getTime();
  }
  throw new Error(`no start found for ${day} in ${timeZone}`);
}
