import { describe, expect, it } from 'vitest';
import { formatCompact, formatCount, formatPrice, formatShare } from './format-number';

describe('number formatting', () => {
  it('formats counts and compact counts', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCompact(9_999)).toBe('9,999');
    expect(formatCompact(12_345)).toBe('12.3K');
    expect(formatCompact(1_250_000)).toBe('1.3M');
  });

  it('formats shares', () => {
    expect(formatShare(0.5123)).toBe('51.2%');
  });

  it('formats prices the way price lists write them', () => {
    expect(formatPrice(0)).toBe('$0');
    expect(formatPrice(2.5)).toBe('$2.50');
    expect(formatPrice(15)).toBe('$15.00');
    expect(formatPrice(0.15)).toBe('$0.15');
    expect(formatPrice(0.075)).toBe('$0.075');
    expect(formatPrice(0.0008)).toBe('$0.0008');
    expect(formatPrice(0.006)).toBe('$0.006');
    expect(formatPrice(1.875)).toBe('$1.875');
    expect(formatPrice(0.1234567)).toBe('$0.1235');
  });
});
