import { describe, expect, it } from 'vitest';
import { niceCeiling } from './svg-daily-chart';

describe('niceCeiling', () => {
  it('rounds the axis maximum up to 1, 2, 2.5 or 5 × 10ⁿ', () => {
    expect(niceCeiling(1_400_000_000)).toBe(2_000_000_000);
    expect(niceCeiling(2_000_000_000)).toBe(2_000_000_000);
    expect(niceCeiling(2_300_000_000)).toBe(2_500_000_000);
    expect(niceCeiling(31)).toBe(50);
    expect(niceCeiling(0)).toBe(0);
  });
});
