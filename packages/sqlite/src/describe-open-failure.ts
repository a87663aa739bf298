const MAX_SHOWN_PATH = 160;
const MAX_SHOWN_CAUSE = 300;

/**
 * Says why a database file could not be opened, and what fixes it, from the error that
 * better-sqlite3, the native-module loader or the file system threw.
 */
export function describeOpenFailure(path: string, error: unknown): string {
  const shownPath = shorten(path, MAX_SHOWN_PATH);
  // The file system's own message repeats the path: shown shortened too, so a huge path is not echoed.
  const message = shorten(
    (error instanceof Error ? error.message : String(error)).split(path).join(shownPath),
    MAX_SHOWN_CAUSE,
  );
  const code = (error as { code?: unknown } | null)?.code;
  const prefix = `The SQLite database ${shownPath} could not be opened`;
  if (message.includes('Could not locate the bindings file')) {
    return (
      `${prefix}: better-sqlite3's native module is not built. pnpm 10 skips install scripts ` +
      'until they are approved: run `pnpm approve-builds` (or list better-sqlite3 in ' +
      '`onlyBuiltDependencies`), then `pnpm rebuild better-sqlite3`; with npm, `npm rebuild better-sqlite3`.'
    );
  }
  if (message.includes('NODE_MODULE_VERSION') || message.includes('compiled against a different')) {
    return `${prefix}: better-sqlite3's native module was built for another Node.js version; run \`npm rebuild better-sqlite3\` (or \`pnpm rebuild better-sqlite3\`) with this one (${process.version}).`;
  }
  switch (code) {
    case 'ENOTDIR':
    case 'EEXIST':
      return `${prefix}: a part of its directory path is a file, not a directory (${message}).`;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `${prefix}: no permission to create or write it (${message}).`;
    case 'ENOENT':
      return `${prefix}: its directory cannot be created (${message}).`;
    case 'SQLITE_NOTADB':
      return `${prefix}: the file is not a SQLite database (${message}).`;
    case 'SQLITE_CANTOPEN':
      return `${prefix}: SQLite cannot open the file; check that the path is a file and that its directory is writable (${message}).`;
    case 'SQLITE_READONLY':
    case 'SQLITE_PERM':
    case 'SQLITE_AUTH':
      return `${prefix}: the file or its directory is read-only for this process (${message}).`;
    default:
      return `${prefix}: ${message}`;
  }
}

/** The start and the end of a long text, which is where a path says the most. */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const half = Math.floor((max - 1) / 2);
  return `${text.slice(0, half)}…${text.slice(-half)}`;
}
