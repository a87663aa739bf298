import { loadOnFirstUse } from '../load-on-first-use';

// Loaded with the first suggestion: a CommonJS package costs the import of core a millisecond or more.
const levenshtein = () => loadOnFirstUse<typeof import('fastest-levenshtein')>('fastest-levenshtein');

/** The candidate a mistyped name most likely meant, when one is close enough to suggest. */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const typed = input.toLowerCase();
  let best: string | undefined;
  let bestEdits = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const edits = editsBetween(typed, candidate.toLowerCase());
    if (edits < bestEdits) {
      best = candidate;
      bestEdits = edits;
    }
  }
  if (best === undefined) return undefined;
  if (bestEdits <= Math.max(1, Math.floor(best.length / 3))) return best;
  return sameStem(typed, candidates);
}

/**
 * The one candidate that the input is the start of (`limit` → `limitUsd`), or the longest one
 * that starts the input (`monthly` → `month`); none when several would fit as well.
 */
function sameStem(typed: string, candidates: readonly string[]): string | undefined {
  if (typed.length < 3) return undefined;
  const longer = candidates.filter((candidate) => candidate.toLowerCase().startsWith(typed));
  if (longer.length === 1) return longer[0];
  if (longer.length > 1) return undefined;
  const shorter = candidates
    .filter((candidate) => candidate.length >= 3 && typed.startsWith(candidate.toLowerCase()))
    .sort((a, b) => b.length - a.length);
  return shorter[0];
}

/** ` (did you mean 'user'?)`, or nothing when no candidate is close. */
export function suggestionFor(input: string, candidates: readonly string[]): string {
  const suggestion = didYouMean(input, candidates);
  return suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`;
}

/** Levenshtein distance, with two swapped neighbours (`modle`, `teir`) counted as one edit. */
function editsBetween(a: string, b: string): number {
  if (a.length === b.length && a !== b) {
    let first = 0;
    while (a[first] === b[first]) first++;
    if (a[first] === b[first + 1] && a[first + 1] === b[first] && a.slice(first + 2) === b.slice(first + 2))
      return 1;
  }
  return levenshtein().distance(a, b);
}
