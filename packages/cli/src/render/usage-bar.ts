/**
 * A budget's used share as a bar of `width` columns: a block for each full block's worth used
 * (capped at 100%), the rest shaded. A share below one block's worth draws none, as `0.0%` reads.
 */
export function usageBar(share: number, width: number): { filled: string; empty: string } {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(share) ? share : 0));
  // Only a full budget fills the bar: floor keeps anything below 100% at least one block short.
  const cells = Math.floor(clamped * width);
  return { filled: '█'.repeat(cells), empty: '░'.repeat(width - cells) };
}
