import BetterSqlite3, { type Database } from 'better-sqlite3';
import { createParentDirectory } from './create-parent-directory';
import type { ResolvedSqliteStoreOptions } from './sqlite-store-options';

export const IN_MEMORY_PATH = ':memory:';

/**
 * Opens the file for several processes at once: WAL lets readers run beside the one
 * writer, the busy timeout makes a writer wait for another process's transaction instead
 * of failing at once, and `synchronous = NORMAL` is durable across process crashes in WAL
 * mode (only an OS crash or power loss may lose the last commits).
 */
export function openSqliteDatabase(options: ResolvedSqliteStoreOptions): Database {
  if (options.path !== IN_MEMORY_PATH) createParentDirectory(options.path);
  const database = new BetterSqlite3(options.path, { timeout: options.busyTimeoutMs });
  try {
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    return database;
  } catch (error) {
    database.close();
    throw error;
  }
}
