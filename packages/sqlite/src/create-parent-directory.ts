import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Creates the missing directories above a database file, one level at a time. Node 20's
 * `mkdirSync(…, { recursive: true })` spins forever under a path it can never create (for
 * example below `/proc`); creating each level on its own fails at once with the real reason.
 */
export function createParentDirectory(databasePath: string): void {
  const missing: string[] = [];
  let directory = dirname(resolve(databasePath));
  for (;;) {
    const stats = statSync(directory, { throwIfNoEntry: false });
    if (stats) {
      if (!stats.isDirectory()) throw notADirectory(directory);
      break;
    }
    missing.unshift(directory);
    const parent = dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (error) {
      // Another process may have created it in the meantime.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

function notADirectory(path: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`ENOTDIR: not a directory, '${path}'`);
  error.code = 'ENOTDIR';
  error.path = path;
  return error;
}
