import type { NanoUsd } from '../money/money';

/**
 * How much of a limit is used: the exact ratio (0–1, above 1 over budget) for arithmetic, and
 * the percentage rounded to 0.01 for display. A zero limit with spend counts as fully used.
 */
export function usedShare(used: NanoUsd, limit: NanoUsd): { usedRatio: number; percentageUsed: number } {
  const usedRatio = limit > 0 ? used / limit : used > 0 ? 1 : 0;
  return { usedRatio, percentageUsed: Math.round(usedRatio * 10_000) / 100 };
}
