import { Long } from 'mongodb';

/**
 * Counters and sums are written as Int64 so that `$inc` never overflows a 32-bit field
 * (servers differ in how they promote one).
 */
export function int64(value: number): Long {
  return Long.fromNumber(value);
}

/**
 * Reads a number written by this store. A client configured with `promoteLongs: false`,
 * `promoteValues: false` or `useBigInt64: true` returns wrappers or bigints instead of numbers.
 */
export function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Long) return value.toNumber();
  if (value !== null && typeof value === 'object' && 'valueOf' in value) {
    const primitive = (value as { valueOf(): unknown }).valueOf();
    if (typeof primitive === 'number') return primitive;
    if (typeof primitive === 'bigint') return Number(primitive);
  }
  return 0;
}
