import { MongoBulkWriteError, MongoServerError } from 'mongodb';

const DUPLICATE_KEY = 11000;

/** Only the code is reliable: test servers omit `keyValue`, and their messages differ. */
export function isDuplicateKeyError(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

/**
 * The indexes of the documents a bulk insert refused as duplicates. Any other write error
 * is rethrown. (`insertedCount` is not used: some servers overcount it in the error.)
 */
export function duplicateIndexesOf(error: unknown): Set<number> {
  if (!(error instanceof MongoBulkWriteError)) throw error;
  const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  if (error.result?.getWriteConcernError() || writeErrors.length === 0) throw error;
  const duplicates = new Set<number>();
  for (const writeError of writeErrors) {
    if (writeError.code !== DUPLICATE_KEY) throw error;
    duplicates.add(writeError.index);
  }
  return duplicates;
}

/**
 * Two processes upserting the same new document can race: one insert wins and the other
 * gets a duplicate-key error although the document now exists. Trying again updates it.
 */
export async function retryOnDuplicateKey<T>(operation: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= attempts || !isDuplicateKeyError(error)) throw error;
    }
  }
}
