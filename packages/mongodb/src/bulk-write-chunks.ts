/**
 * At most this many operations go into one bulk write of updates: FerretDB v1 stops answering an
 * update command with more (although it reports a far larger `maxWriteBatchSize`), and then
 * answers nothing else either. On MongoDB it only adds a round trip per hundred operations.
 */
export const OPERATIONS_PER_BULK_WRITE = 100;

/** `items` cut into consecutive pieces of at most OPERATIONS_PER_BULK_WRITE, to send one after the other. */
export function bulkWriteChunksOf<T>(items: readonly T[]): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += OPERATIONS_PER_BULK_WRITE)
    chunks.push(items.slice(start, start + OPERATIONS_PER_BULK_WRITE));
  return chunks;
}
