/** A budget's used share as a bar of `width` columns: filled up to the share (capped at 100%), the rest shaded. */
export function usageBar(share: number, width: number): { filled: string; empty: string } {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(share) ? share : 0));
  let cells = Math.round(clamped * width);
  // Anything spent shows, and only a full budget fills the bar.
  if (clamped > 0 && cells === 0) cells = 1;
  if (clamped < 1 && cells === width) cells = width - 1;
  return { filled: '█'.repeat(cells), empty: '░'.repeat(width - cells) };
}
