import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { loadOnFirstUse } from '../load-on-first-use';

/** A price cache file's text and when it was written. */
export interface PriceDataFile {
  readonly text: string;
  /** ms since epoch: when the data in it was fetched. */
  readonly modifiedAt: number;
}

/** Reads a price cache file; `undefined` when there is none. Any other failure throws. */
export function readPriceDataFile(path: string, maxBytes: number): PriceDataFile | undefined {
  let modifiedAt: number;
  try {
    const stats = statSync(path);
    if (stats.size > maxBytes) throw new Error(`is ${stats.size} bytes, over the limit of ${maxBytes}`);
    modifiedAt = stats.mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return { text: readFileSync(path, 'utf8'), modifiedAt };
}

/**
 * Writes a price cache file atomically: the text goes to a temporary file beside it, which is
 * then renamed over it, so a reader (another process, the next start) sees the old file or the
 * new one, never a part. The directory is created when missing.
 */
export async function writePriceDataFile(path: string, text: string): Promise<void> {
  // Loaded here: node:crypto and node:fs/promises add milliseconds to every app's import, and only a price update writes.
  const { randomBytes } = loadOnFirstUse<typeof import('node:crypto')>('node:crypto');
  const { mkdir, rename, rm, writeFile } =
    loadOnFirstUse<typeof import('node:fs/promises')>('node:fs/promises');
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    await writeFile(temporary, text, { encoding: 'utf8', flush: true });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    throw error;
  }
}
