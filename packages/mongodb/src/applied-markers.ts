import { type Collection, type Document, type Filter, MongoServerError, type UpdateFilter } from 'mongodb';

/**
 * How many markers a document keeps: the request ids of the last commits applied to it.
 * A replay is recognized as long as fewer than this many later commits touched the same
 * document; an older replay may apply its effect a second time (an over-count, never an
 * under-count).
 */
export const APPLIED_MARKERS_KEPT = 256;

/** NotImplemented: FerretDB v1 refuses a projection in findAndModify. */
const NOT_IMPLEMENTED = 238;

/** The document, only while the commit with this request id was not applied to it. */
export function notAppliedFilterOf(id: string, requestId: string) {
  return { _id: id, applied: { $ne: requestId } };
}

/** Records in the same update that these commits were applied, keeping the newest markers only. */
export function appliedMarkersOf(...requestIds: string[]) {
  return { applied: { $each: requestIds, $slice: -APPLIED_MARKERS_KEPT } };
}

/**
 * Records in the same update that these holds were given back without a charge (released, or
 * reclaimed once their lease passed), keeping the newest markers only: a replay whose hold is
 * gone tells a hold given back from one its own charge took.
 */
export function releasedMarkersOf(...holdIds: string[]) {
  return { released: { $each: holdIds, $slice: -APPLIED_MARKERS_KEPT } };
}

/** For reads: the markers are the store's own bookkeeping, never needed by a caller. */
export const WITHOUT_MARKERS = { applied: 0, released: 0 } as const;

const refusingProjection = new WeakSet<Collection<Document>>();

/**
 * `findOneAndUpdate` returning the document without its markers where the server supports a
 * projection in findAndModify; where it does not (FerretDB v1), the whole document.
 */
export async function findOneAndUpdateWithoutMarkers<T extends Document>(
  collection: Collection<T>,
  filter: Filter<T>,
  update: UpdateFilter<T>,
  options: { upsert?: boolean } = {},
) {
  const base = { ...options, returnDocument: 'after' as const };
  if (!refusingProjection.has(collection as unknown as Collection<Document>)) {
    try {
      return await collection.findOneAndUpdate(filter, update, { ...base, projection: WITHOUT_MARKERS });
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === NOT_IMPLEMENTED)) throw error;
      // Refused before anything was written: send it again without the projection.
      refusingProjection.add(collection as unknown as Collection<Document>);
    }
  }
  return collection.findOneAndUpdate(filter, update, base);
}
