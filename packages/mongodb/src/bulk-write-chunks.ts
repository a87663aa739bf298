/**
 * At most this many operations go into one bulk write of updates, and such bulk writes are sent
 * one after the other: FerretDB v1 stops answering (everything, from then on) once about a
 * hundred updates are pending at once, although it reports a far larger `maxWriteBatchSize`.
 * On MongoDB it only adds a round trip per fifty operations.
 */
export const OPERATIONS_PER_BULK_WRITE = 50;

/** `items` cut into consecutive pieces of at most OPERATIONS_PER_BULK_WRITE, to send one after the other. */
export function bulkWriteChunksOf<T>(items: readonly T[]): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += OPERATIONS_PER_BULK_WRITE)
    chunks.push(items.slice(start, start + OPERATIONS_PER_BULK_WRITE));
  return chunks;
}
