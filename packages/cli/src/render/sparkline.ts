const LEVELS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * One character per value. Zero is the lowest block and every value above zero is at
 * least the second, so a day with a little spend stands out from a day with none.
 */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values
    .map((value) => {
      if (!(value > 0) || max === 0) return LEVELS[0];
      return LEVELS[1 + Math.min(LEVELS.length - 2, Math.floor((value / max) * (LEVELS.length - 1) - 1e-9))];
    })
    .join('');
}
