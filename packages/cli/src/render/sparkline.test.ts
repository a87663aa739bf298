import { describe, expect, it } from 'vitest';
import { sparkline } from './sparkline';

describe('sparkline', () => {
  it('draws one block per value, the largest full, zero lowest and any spend above it', () => {
    expect(sparkline([0, 1, 50, 100])).toBe('▁▂▅█');
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
    expect(sparkline([7])).toBe('█');
    expect(sparkline([])).toBe('');
  });

  it('uses every level across a range', () => {
    expect(sparkline([0, 14, 28, 42, 57, 71, 85, 100])).toBe('▁▂▃▄▅▆▇█');
  });
});
