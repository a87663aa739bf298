import type { Collection, Document, Long } from 'mongodb';
import { APPLIED_MARKERS_KEPT, appliedMarkersOf, notAppliedFilterOf } from './applied-markers';
import { type Effect, applyAllOnce } from './apply-once';
import { type BulkWriteLimits, bulkWriteChunksOf } from './bulk-write-limits';
import { duplicateIndexesOf } from './duplicate-key';

/** What one commit adds to one document (a counter, a day's spend, a rollup row), under its marker. */
export interface MarkedIncrement {
  readonly id: string;
  readonly requestId: string;
  readonly increments: Readonly<Record<string, Long>>;
  /** The document's fixed fields, written when the increment creates it. */
  readonly onInsert: Readonly<Record<string, unknown>>;
}

export function effectOf<T extends Document>(increment: MarkedIncrement): Effect<T> {
  return {
    filter: notAppliedFilterOf(increment.id, increment.requestId),
    update: {
      $inc: increment.increments,
      $push: appliedMarkersOf(increment.requestId),
      $setOnInsert: increment.onInsert,
    },
  } as unknown as Effect<T>;
}

/**
 * At most this many commits' increments go into one update: all their markers then stay on the
 * document (it keeps APPLIED_MARKERS_KEPT), so a group that fails can be applied one by one.
 */
const COMMITS_PER_UPDATE = APPLIED_MARKERS_KEPT / 2;

/**
 * Applies many commits' increments, each at most once, with one update per document for up to
 * COMMITS_PER_UPDATE commits (a batch of 5,000 usages on one counter is 40 updates, not 5,000):
 * the update only matches while none of its commits is marked on the document, adds their sum
 * and marks them all. A group that does not match (one of its commits was applied before, by a
 * commit cut off and replayed, or the document was created meanwhile) is applied commit by
 * commit instead, each under its own marker.
 */
export async function applyIncrementsOnce<T extends Document>(
  collection: Collection<T>,
  increments: readonly MarkedIncrement[],
  limits: BulkWriteLimits,
): Promise<void> {
  for (const round of roundsOf(increments))
    for (const chunk of bulkWriteChunksOf(round, limits)) await applyGroupsOnce(collection, chunk, limits);
}

/**
 * The increments grouped by document, in rounds: round k holds the k-th group of every document,
 * so that no bulk write touches a document twice and a later group's markers never push out an
 * earlier group's before it is known to be applied.
 */
function roundsOf(increments: readonly MarkedIncrement[]): MarkedIncrement[][][] {
  const byDocument = new Map<string, MarkedIncrement[]>();
  for (const increment of increments) {
    const same = byDocument.get(increment.id);
    if (same) same.push(increment);
    else byDocument.set(increment.id, [increment]);
  }
  const rounds: MarkedIncrement[][][] = [];
  for (const same of byDocument.values()) {
    for (let start = 0, round = 0; start < same.length; start += COMMITS_PER_UPDATE, round++) {
      rounds[round] ??= [];
      rounds[round]!.push(same.slice(start, start + COMMITS_PER_UPDATE));
    }
  }
  return rounds;
}

async function applyGroupsOnce<T extends Document>(
  collection: Collection<T>,
  groups: MarkedIncrement[][],
  limits: BulkWriteLimits,
) {
  try {
    await collection.bulkWrite(
      groups.map((group) => ({ updateOne: { ...groupUpdateOf(group), upsert: true } })) as never,
      { ordered: false },
    );
  } catch (error) {
    // Some servers stop at the first error even when unordered (FerretDB v1): every group from
    // the first failed one on is applied commit by commit (the applied ones are marked).
    const first = Math.min(...duplicateIndexesOf(error));
    await applyAllOnce(
      collection,
      groups
        .slice(first)
        .flat()
        .map(effectOf<T>),
      limits,
    );
  }
}

function groupUpdateOf(group: readonly MarkedIncrement[]) {
  const requestIds = group.map((increment) => increment.requestId);
  const sums: Record<string, Long> = {};
  for (const { increments } of group)
    for (const [field, value] of Object.entries(increments))
      sums[field] = sums[field] === undefined ? value : sums[field]!.add(value);
  return {
    filter: { _id: group[0]!.id, applied: { $nin: requestIds } },
    update: {
      $inc: sums,
      $push: appliedMarkersOf(...requestIds),
      $setOnInsert: group[0]!.onInsert,
    },
  };
}
