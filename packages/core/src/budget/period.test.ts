import { describe, expect, it } from 'vitest';
import { daysRemaining, periodWindow } from './period';

describe('periodWindow', () => {
  it('names calendar periods in the budget time zone', () => {
    const at = new Date('2026-11-29T23:30:00Z');
    expect(periodWindow('day', 'UTC', at).key).toBe('day:2026-11-29');
    expect(periodWindow('day', 'Asia/Tokyo', at).key).toBe('day:2026-11-30');
    expect(periodWindow('month', 'Asia/Tokyo', at).key).toBe('month:2026-11');
    expect(periodWindow('week', 'UTC', at).key).toBe('week:2026-W48');
    expect(periodWindow('total', 'UTC', at)).toEqual({ key: 'total', start: new Date(0), end: undefined });
  });

  it('rolls December over into January', () => {
    const window = periodWindow('month', 'UTC', new Date('2026-12-31T23:59:59Z'));
    expect(window.key).toBe('month:2026-12');
    expect(window.end?.getTime()).toBe(Date.UTC(2027, 0, 1));
    expect(periodWindow('month', 'UTC', new Date('2027-01-01T00:00:00Z')).key).toBe('month:2027-01');
    expect(periodWindow('week', 'UTC', new Date('2027-01-01T00:00:00Z')).key).toBe('week:2026-W53');
  });

  it('has 23- and 25-hour days around daylight saving changes', () => {
    const spring = periodWindow('day', 'America/New_York', new Date('2026-03-08T15:00:00Z'));
    expect((spring.end!.getTime() - spring.start.getTime()) / 3_600_000).toBe(23);
    const autumn = periodWindow('day', 'Europe/Paris', new Date('2026-10-25T12:00:00Z'));
    expect((autumn.end!.getTime() - autumn.start.getTime()) / 3_600_000).toBe(25);
    expect(autumn.start.getTime()).toBe(Date.UTC(2026, 9, 24, 22));
  });
});

describe('daysRemaining', () => {
  it('counts whole days to the start of the next period (20 December → 1 January is 12)', () => {
    const at = new Date('2026-12-20T10:00:00Z');
    expect(daysRemaining(periodWindow('month', 'UTC', at), 'UTC', at)).toBe(12);
    const lastDay = new Date('2026-11-30T23:00:00Z');
    expect(daysRemaining(periodWindow('month', 'UTC', lastDay), 'UTC', lastDay)).toBe(1);
    expect(daysRemaining(periodWindow('day', 'UTC', at), 'UTC', at)).toBe(1);
    expect(daysRemaining(periodWindow('total', 'UTC', at), 'UTC', at)).toBeUndefined();
  });

  it('uses the budget period, not the calendar month', () => {
    const sunday = new Date('2026-11-29T12:00:00Z');
    expect(daysRemaining(periodWindow('week', 'UTC', sunday), 'UTC', sunday)).toBe(1);
    const monday = new Date('2026-11-23T00:00:00Z');
    expect(daysRemaining(periodWindow('week', 'UTC', monday), 'UTC', monday)).toBe(7);
  });
});
