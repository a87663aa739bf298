import type { AnyBulkWriteOperation, Collection, Document, Filter, UpdateFilter } from 'mongodb';
import { type BulkWriteLimits, bulkWriteChunksOf } from './bulk-write-limits';
import { duplicateIndexesOf, isDuplicateKeyError } from './duplicate-key';

// An effect is an upsert whose filter is `{ _id, applied: { $ne: requestId } }` (see
// applied-markers.ts). When it matches nothing, the server tries to insert a document with
// that `_id`, which fails with a duplicate key: either the document already carries the marker
// (the effect was applied) or another process created the document a moment earlier (the
// effect was not applied yet). Sending it once more tells the two apart: the document exists
// by then, so a second duplicate key can only mean the marker is there.

/** Runs an effect once; resolves to null when it had already been applied. */
export async function applyOnce<T>(write: () => Promise<T>): Promise<T | null> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      if (attempt === 2) return null;
    }
  }
}

export interface Effect<T extends Document> {
  readonly filter: Filter<T>;
  readonly update: UpdateFilter<T>;
}

/**
 * Runs many effects on one collection with unordered bulk writes, one after the other. Some
 * servers stop at the first error even when unordered (FerretDB v1), so after an error every
 * effect from the first failed one on is sent again; the ones that had been applied come back
 * as duplicates.
 */
export async function applyAllOnce<T extends Document>(
  collection: Collection<T>,
  effects: readonly Effect<T>[],
  limits: BulkWriteLimits,
): Promise<void> {
  for (const chunk of bulkWriteChunksOf(effects, limits)) await applyChunkOnce(collection, chunk);
}

async function applyChunkOnce<T extends Document>(collection: Collection<T>, effects: readonly Effect<T>[]) {
  let pending = effects.map((effect) => ({ effect, duplicates: 0 }));
  while (pending.length > 0) {
    try {
      await collection.bulkWrite(
        pending.map(({ effect }) => updateOf(effect)),
        { ordered: false },
      );
      return;
    } catch (error) {
      const failed = duplicateIndexesOf(error);
      for (const index of failed) pending[index]!.duplicates += 1;
      pending = pending.slice(Math.min(...failed)).filter(({ duplicates }) => duplicates < 2);
    }
  }
}

function updateOf<T extends Document>(effect: Effect<T>): AnyBulkWriteOperation<T> {
  return { updateOne: { filter: effect.filter, update: effect.update, upsert: true } };
}
