import { type Period, type PeriodWindow, periodWindow } from './period';

/**
 * Remembers the current period window of each (period, time zone) pair until it
 * ends, so the hot path does not redo calendar arithmetic on every call.
 */
export class PeriodCache {
  private readonly windows = new Map<string, PeriodWindow>();

  window(period: Period, timeZone: string, at: number): PeriodWindow {
    const key = `${period}\u0000${timeZone}`;
    const cached = this.windows.get(key);
    if (cached && at >= cached.start.getTime() && (!cached.end || at < cached.end.getTime())) return cached;
    const fresh = periodWindow(period, timeZone, new Date(at));
    this.windows.set(key, fresh);
    return fresh;
  }

  /** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
  day(timeZone: string, at: number): string {
    return this.window('day', timeZone, at).key.slice(4);
  }
}
