import { StorageUnavailableError } from '@tollgate/core';
import type { MongoClient } from 'mongodb';

/**
 * What the store throws when opening it failed: a server the driver could not select (refused,
 * unknown host, nothing answered within `serverSelectionTimeoutMS`) as `StorageUnavailableError`
 * with the driver's error as its cause, so the budget's error says why; any other error as it is.
 * By name, so that an error from another copy of the driver (an app's own client) is recognized.
 */
export function openFailureOf(error: unknown, client: MongoClient): unknown {
  if ((error as { name?: unknown } | null)?.name !== 'MongoServerSelectionError') return error;
  const timeoutMs = client.options?.serverSelectionTimeoutMS;
  const within = typeof timeoutMs === 'number' ? ` within ${timeoutMs} ms (serverSelectionTimeoutMS)` : '';
  const reason = (error as Error).message;
  return new StorageUnavailableError(
    `The MongoStore could not reach the MongoDB server${within}: ${reason}.`,
    {
      cause: error,
    },
  );
}
