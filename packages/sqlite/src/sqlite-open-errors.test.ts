import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StorageUnavailableError } from '@tollgate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store';
import { temporaryDirectory } from './testing/temporary-directory';

const directory = temporaryDirectory('tollgate-sqlite-open-');
afterAll(() => directory.remove());

function openError(path: string): StorageUnavailableError {
  try {
    new SqliteStore({ path }).close();
  } catch (error) {
    expect(error).toSatisfy(StorageUnavailableError.isInstance);
    return error as StorageUnavailableError;
  }
  throw new Error(`SqliteStore opened ${path}`);
}

describe('SqliteStore open errors name the path, the cause and the fix', () => {
  it('a file where a directory should be', () => {
    const file = directory.file('plain-file');
    writeFileSync(file, 'not a directory');
    const path = join(file, 'usage.db');
    const error = openError(path);
    expect(error.message).toContain(path);
    expect(error.message).toContain('is a file, not a directory');
  });

  it('a file that is not a SQLite database', () => {
    const path = directory.file('notes.txt');
    writeFileSync(path, 'these are notes, not a database '.repeat(200));
    const error = openError(path);
    expect(error.message).toContain(path);
    expect(error.message).toContain('not a SQLite database');
  });

  it('a directory that can never be created fails at once instead of spinning', () => {
    // Node 20's recursive mkdirSync never returns for a path below /proc.
    const path = '/proc/tollgate-missing/usage.db';
    const error = openError(path);
    expect(error.message).toContain(path);
    expect(error.message).toContain('cannot be created');
  });

  it('a path too long to open is shown shortened, never echoed whole', () => {
    const path = directory.file(`${'p'.repeat(100_000)}.db`);
    const error = openError(path);
    expect(error.message.length).toBeLessThan(1_000);
    expect(error.message).toContain(path.slice(0, 40));
    expect(error.message).toContain('.db');
  });

  it('creates every missing directory level', async () => {
    const path = directory.file('a/b/c/usage.db');
    const store = new SqliteStore({ path });
    expect(await store.readCounters([], Date.now())).toEqual([]);
    await store.close();
  });

  it('better-sqlite3 installed without its native module (pnpm 10 before approve-builds)', () => {
    // An app whose better-sqlite3 has its JavaScript but no compiled binding, as pnpm leaves it.
    const app = directory.file('app-without-native-module');
    const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
    const require = createRequire(join(packageDirectory, 'package.json'));
    const betterSqlite3 = dirname(require.resolve('better-sqlite3/package.json'));
    const modules = join(app, 'node_modules');
    mkdirSync(join(modules, '@tollgate', 'sqlite'), { recursive: true });
    cpSync(join(betterSqlite3, 'lib'), join(modules, 'better-sqlite3', 'lib'), { recursive: true });
    cpSync(join(betterSqlite3, 'package.json'), join(modules, 'better-sqlite3', 'package.json'));
    symlinkSync(realpathSync(join(betterSqlite3, '..', 'bindings')), join(modules, 'bindings'));
    cpSync(join(packageDirectory, 'dist'), join(modules, '@tollgate', 'sqlite', 'dist'), { recursive: true });
    cpSync(join(packageDirectory, 'package.json'), join(modules, '@tollgate', 'sqlite', 'package.json'));
    symlinkSync(
      realpathSync(join(packageDirectory, 'node_modules', '@tollgate', 'core')),
      join(modules, '@tollgate', 'core'),
    );
    const path = join(app, 'usage.db');
    const script = `
      const { SqliteStore } = require('@tollgate/sqlite');
      try { new SqliteStore({ path: ${JSON.stringify(path)} }); console.log('opened'); }
      catch (error) { console.log(JSON.stringify({ name: error.name, message: error.message })); }`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: app, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const error = JSON.parse(run.stdout) as { name: string; message: string };
    expect(error.name).toBe('StorageUnavailableError');
    expect(error.message).toContain(path);
    expect(error.message).toContain('native module is not built');
    expect(error.message).toContain('pnpm approve-builds');
    expect(error.message).toContain('npm rebuild better-sqlite3');
  });
});
