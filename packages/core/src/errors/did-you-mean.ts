import { closest, distance } from 'fastest-levenshtein';

/** The candidate a mistyped name most likely meant, when one is close enough to suggest. */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(input, [...candidates]);
  const edits = distance(input.toLowerCase(), best.toLowerCase());
  return edits <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

/** ` (did you mean 'user'?)`, or nothing when no candidate is close. */
export function suggestionFor(input: string, candidates: readonly string[]): string {
  const suggestion = didYouMean(input, candidates);
  return suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`;
}
