import path from 'node:path';
import { usageError } from '../cli-error';
import { redactCredentials } from './redact-credentials';

/** Where the store came from: the option, the environment variable, or the default file. */
export type StoreSource = '--store' | '$TOLLGATE_STORE' | 'default';

/** Where the command reads spend from, parsed from `--store` (else `$TOLLGATE_STORE`, else the default). */
export type StoreSpec =
  | { readonly kind: 'sqlite'; readonly path: string; readonly label: string; readonly source: StoreSource }
  | {
      readonly kind: 'mongodb';
      readonly uri: string;
      readonly dbName: string;
      readonly label: string;
      readonly source: StoreSource;
    };

/** The forms a store is given in, as error messages list them. */
export const STORE_FORMS =
  'sqlite:PATH, a path to an SQLite file (with a / in it, or ending in .db, .sqlite or .sqlite3) or a mongodb:// connection string';

/** The file the demo and a default app write, relative to the current directory. */
export const DEFAULT_STORE = 'sqlite:.tollgate/tollgate.db';
export const DEFAULT_MONGODB_DATABASE = 'tollgate';

export function parseStoreSpec(text: string, cwd: string, source: StoreSource = '--store'): StoreSpec {
  // Named as the user gave it: `--store`, or `$TOLLGATE_STORE` when the value came from there.
  const origin = source === '$TOLLGATE_STORE' ? '$TOLLGATE_STORE' : '--store';
  if (text.startsWith('sqlite:')) {
    const file = text.slice('sqlite:'.length);
    if (file.length === 0)
      throw usageError(`${origin} sqlite: needs a path, e.g. sqlite:.tollgate/tollgate.db`);
    return {
      kind: 'sqlite',
      path: file === ':memory:' ? file : path.resolve(cwd, file),
      label: text,
      source,
    };
  }
  if (/^mongodb(\+srv)?:\/\//.test(text)) {
    return {
      kind: 'mongodb',
      uri: text,
      dbName: mongoDatabaseName(text, origin),
      label: redactCredentials(text),
      source,
    };
  }
  if (isSqliteFilePath(text))
    return { kind: 'sqlite', path: path.resolve(cwd, text), label: `sqlite:${text}`, source };
  throw usageError(`unknown store "${redactCredentials(text)}" (from ${origin}): use ${STORE_FORMS}`);
}

/**
 * A plain file path taken as an SQLite file: one with a directory in it (`.tollgate/usage.db`,
 * `./data`) or an SQLite extension (`usage.db`, `app.sqlite`, `app.sqlite3`). Anything with a
 * scheme (`redis://…`, `postgres:…`) is not; a Windows drive (`C:\\data\\app.db`) is a path.
 */
function isSqliteFilePath(text: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[a-z]:[\\/]/i.test(text)) return false;
  return /[\\/]/.test(text) || /\.(db|sqlite3?)$/i.test(text);
}

/**
 * The database named in the connection string's path (`mongodb://host/budgets`), or the
 * default. Read by hand: a URL parser rejects the comma-separated host lists of replica sets.
 */
function mongoDatabaseName(uri: string, origin: string): string {
  const afterScheme = uri.slice(uri.indexOf('://') + 3);
  const slash = afterScheme.indexOf('/');
  if (slash === -1) return DEFAULT_MONGODB_DATABASE;
  const pathPart = afterScheme.slice(slash + 1).split('?')[0] ?? '';
  try {
    return decodeURIComponent(pathPart) || DEFAULT_MONGODB_DATABASE;
  } catch {
    throw usageError(`${origin}: the database name in the connection string is not valid percent-encoding`);
  }
}
