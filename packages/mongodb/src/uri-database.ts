import { ValidationError } from '@tollgate/core';

/**
 * The database named in a connection string's path (`mongodb://host/budgets?…`), percent-decoded,
 * or undefined when the path is missing or empty: the default database the driver takes from it.
 * Read by hand, as the CLI reads its `--store`: a URL parser rejects the comma-separated host
 * lists of replica sets. The path ends at `?` or `#`, so a `/` inside the options
 * (`mongodb://host?authMechanismProperties=TOKEN_RESOURCE:api://app`) names no database, as in the
 * driver.
 */
export function uriDatabaseName(uri: string): string | undefined {
  const afterScheme = uri.slice(uri.indexOf('://') + 3);
  const end = afterScheme.search(/[?#]/);
  const beforeOptions = end === -1 ? afterScheme : afterScheme.slice(0, end);
  const slash = beforeOptions.indexOf('/');
  if (slash === -1) return undefined;
  const encoded = beforeOptions.slice(slash + 1);
  if (encoded.length === 0) return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new ValidationError({
      field: 'options.uri',
      message: `the database in the connection string (${JSON.stringify(encoded)}) is not valid percent-encoding`,
    });
  }
}

/** What MongoDB refuses in a database name (on every platform). */
const REFUSED_IN_DATABASE_NAME = /[/\\. "$\0]/;
const DATABASE_NAME_MAX_BYTES = 63;

/** Throws a ValidationError naming the URI's database when MongoDB would refuse it. */
export function checkUriDatabaseName(name: string): string {
  const refused = REFUSED_IN_DATABASE_NAME.exec(name);
  const bytes = new TextEncoder().encode(name).length;
  if (refused || bytes > DATABASE_NAME_MAX_BYTES)
    throw new ValidationError({
      field: 'options.uri',
      message:
        `the connection string names the database ${JSON.stringify(name)}, which MongoDB refuses: ` +
        (refused
          ? `it contains ${JSON.stringify(refused[0])}`
          : `it is ${bytes} bytes long, over ${DATABASE_NAME_MAX_BYTES}`) +
        ' (a database name is 1–63 bytes without /, \\, ., space, ", $ or NUL); name another one in the path, or pass dbName',
    });
  return name;
}
