import { optionKeys, rejectUnknownKeys, ValidationError } from '@tollgate/core';

/** Where `SqliteStore` keeps its file and how long a write waits for another process. */
export interface SqliteStoreOptions {
  /**
   * The database file. Its parent directory is created when missing. `:memory:` keeps
   * everything in this process (lost on close), like `MemoryStore` but with SQLite's semantics.
   */
  path: string;
  /** How long a write waits for another process's lock before failing. Default 5,000 ms. */
  busyTimeoutMs?: number;
}

export interface ResolvedSqliteStoreOptions {
  readonly path: string;
  readonly busyTimeoutMs: number;
}

const SQLITE_STORE_OPTION_KEYS = optionKeys<SqliteStoreOptions>({ path: true, busyTimeoutMs: true });

/** How long a write waits for another process's write lock when `busyTimeoutMs` is not given. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
/** A longer wait would stall the event loop (better-sqlite3 is synchronous) for longer than any gate should. */
export const MAX_BUSY_TIMEOUT_MS = 600_000;

/** Checks the options without ever echoing the values (a path may name a user's directory). */
export function resolveSqliteStoreOptions(options: unknown): ResolvedSqliteStoreOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValidationError({ field: 'options', message: 'must be an object with a path' });
  }
  rejectUnknownKeys(options, SQLITE_STORE_OPTION_KEYS, 'options');
  const { path, busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS } = options as Record<string, unknown>;
  if (typeof path !== 'string') throw new ValidationError({ field: 'path', message: 'must be a string' });
  if (path.trim().length === 0) throw new ValidationError({ field: 'path', message: 'must not be empty' });
  if (path.includes('\u0000'))
    throw new ValidationError({ field: 'path', message: 'must not contain a NUL character' });
  if (typeof busyTimeoutMs !== 'number' || !Number.isInteger(busyTimeoutMs)) {
    throw new ValidationError({ field: 'busyTimeoutMs', message: 'must be a whole number of milliseconds' });
  }
  if (busyTimeoutMs < 0 || busyTimeoutMs > MAX_BUSY_TIMEOUT_MS) {
    throw new ValidationError({
      field: 'busyTimeoutMs',
      message: `must be between 0 and ${MAX_BUSY_TIMEOUT_MS}`,
    });
  }
  return { path, busyTimeoutMs };
}
