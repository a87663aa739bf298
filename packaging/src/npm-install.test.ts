import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { describeRun, runCommand } from './run-command';

const { appDirectory, sqliteCliAppDirectory } = inject('packaging');

interface LockEntry {
  resolved?: string;
}

describe('npm install', () => {
  it.each([
    ['every package with the SDKs', appDirectory],
    ['@tollgate/cli alone', sqliteCliAppDirectory],
  ])('%s: npm ls finds every dependency and peer dependency satisfied', async (_, directory) => {
    const result = await runCommand('npm', ['ls', '--all'], { cwd: directory });
    expect(result.status, describeRun(result)).toBe(0);
  });

  it('every @tollgate package in the app is one of the packed tarballs, none from the registry', async () => {
    const lock = JSON.parse(await readFile(join(appDirectory, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, LockEntry>;
    };
    const fromElsewhere = Object.entries(lock.packages)
      .filter(([path]) => path.includes('node_modules/@tollgate/'))
      .filter(
        ([path, entry]) =>
          !/^node_modules\/@tollgate\/[^/]+$/.test(path) || !entry.resolved?.startsWith('file:'),
      )
      .map(([path, entry]) => `${path} (${entry.resolved ?? 'from the registry'})`);
    expect(fromElsewhere).toEqual([]);
  });

  it('a SQLite user installing @tollgate/cli gets no MongoDB driver', async () => {
    const lock = JSON.parse(await readFile(join(sqliteCliAppDirectory, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, LockEntry>;
    };
    const mongodbPackages = Object.keys(lock.packages).filter((path) =>
      /node_modules\/(mongodb|@tollgate\/mongodb)$/.test(path),
    );
    expect(mongodbPackages).toEqual([]);
  });
});
