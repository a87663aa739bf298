import { type Db, MongoServerError } from 'mongodb';

/**
 * How the store sends the bulk writes of `commitMany` and of giving back many holds:
 * - `parallel`: up to a thousand operations in one bulk write, and the writes to different
 *   collections (counters, daily spend, rollups) pending at once;
 * - `serial`: at most fifty operations in one bulk write, and one bulk write at a time. FerretDB v1
 *   stops answering (everything, from then on) once about a hundred updates are pending at once,
 *   although it reports a far larger `maxWriteBatchSize`.
 */
export type BulkWriteMode = 'parallel' | 'serial';

export const BULK_WRITE_MODES: readonly BulkWriteMode[] = ['parallel', 'serial'];

export interface BulkWriteLimits {
  readonly mode: BulkWriteMode;
  /** At most this many operations go into one bulk write; a collection's bulk writes go one after the other. */
  readonly operationsPerBulkWrite: number;
  /** Whether bulk writes to different collections may be pending at once. */
  readonly collectionsAtOnce: boolean;
}

export const BULK_WRITE_LIMITS: Readonly<Record<BulkWriteMode, BulkWriteLimits>> = {
  // A thousand is mongo-java-server's maxWriteBatchSize; the driver splits larger ones anyway.
  parallel: { mode: 'parallel', operationsPerBulkWrite: 1_000, collectionsAtOnce: true },
  serial: { mode: 'serial', operationsPerBulkWrite: 50, collectionsAtOnce: false },
};

/** FerretDB names itself in its `buildInfo` answer (`ferretdbVersion`, `ferretdbFeatures`); MongoDB does not. */
export function isFerretDbBuildInfo(buildInfo: Readonly<Record<string, unknown>>): boolean {
  return 'ferretdbVersion' in buildInfo || 'ferretdbFeatures' in buildInfo;
}

/**
 * `serial` on FerretDB, `parallel` elsewhere. A server that refuses `buildInfo` (it is not in the
 * Stable API, so a client with `serverApi: { strict: true }` cannot send it) is not FerretDB.
 */
export async function detectBulkWriteMode(db: Db): Promise<BulkWriteMode> {
  try {
    const buildInfo = await db.admin().command({ buildInfo: 1 });
    return isFerretDbBuildInfo(buildInfo) ? 'serial' : 'parallel';
  } catch (error) {
    if (error instanceof MongoServerError) return 'parallel';
    throw error;
  }
}

/** `items` cut into consecutive pieces of at most `limits.operationsPerBulkWrite`, to send one after the other. */
export function bulkWriteChunksOf<T>(items: readonly T[], limits: BulkWriteLimits): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += limits.operationsPerBulkWrite)
    chunks.push(items.slice(start, start + limits.operationsPerBulkWrite));
  return chunks;
}

/** Runs one write per collection: all at once where the limits allow it, otherwise one after the other. */
export async function writeToCollections(
  limits: BulkWriteLimits,
  writes: readonly (() => Promise<void>)[],
): Promise<void> {
  if (limits.collectionsAtOnce) {
    await Promise.all(writes.map((write) => write()));
    return;
  }
  for (const write of writes) await write();
}
