import { type Period, type PeriodWindow, periodWindow } from './period';

/**
 * Remembers the current period window of each (period, time zone) pair until it
 * ends, so the hot path does not redo calendar arithmetic on every call.
 */
export class PeriodCache {
  private readonly windows = new Map<string, PeriodWindow>();
  private readonly days = new Map<string, { key: string; start: number; end: number }>();

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
    const cached = this.days.get(timeZone);
    if (cached && at >= cached.start && at < cached.end) return cached.key;
    const window = this.window('day', timeZone, at);
    const day = { key: window.key.slice(4), start: window.start.getTime(), end: window.end!.getTime() };
    this.days.set(timeZone, day);
    return day.key;
  }
}
