/**
 * How big each reliability run is. CI runs the `ci` profile inside `pnpm test`;
 * `pnpm test:reliability` runs the `full` profile whose figures RELIABILITY.md records.
 */
export const PROFILE = process.env.RELIABILITY_PROFILE === 'full' ? 'full' : 'ci';

export function sized<T>(sizes: { ci: T; full: T }): T {
  return sizes[PROFILE];
}
