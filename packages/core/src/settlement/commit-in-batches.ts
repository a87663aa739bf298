import type { CommitRequest, CommitResult } from '../store/store-contract';

/**
 * A store that records many calls in one operation. SqliteStore answers with each call's
 * `CommitResult`, MongoStore with `{ recorded }`: both say which requests were recorded.
 */
export interface CommitsInBatches {
  commitMany(
    requests: readonly CommitRequest[],
  ): Promise<readonly CommitResult[] | { readonly recorded: readonly boolean[] }>;
}

/** Whether the store has `commitMany`. */
export function commitsInBatches(store: object): store is CommitsInBatches {
  return typeof (store as Partial<CommitsInBatches>).commitMany === 'function';
}

/** Commits the requests with one `commitMany`; for each, in order, whether it was recorded now. */
export async function commitInBatches(
  store: CommitsInBatches,
  requests: readonly CommitRequest[],
): Promise<boolean[]> {
  const result = await store.commitMany(requests);
  if (Array.isArray(result)) return result.map((each: CommitResult) => each.recorded);
  return [...(result as { readonly recorded: readonly boolean[] }).recorded];
}
