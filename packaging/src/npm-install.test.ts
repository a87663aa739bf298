import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { describeRun, runCommand } from './run-command';

const { appDirectory, sqliteCliAppDirectory } = inject('packaging');

/** The installed tree as npm recorded it: `node_modules/…` paths and, for a tarball, `resolved: file:…`. */
async function readLock(directory: string): Promise<Record<string, { resolved?: string }>> {
  const lock = JSON.parse(await readFile(join(directory, 'package-lock.json'), 'utf8'));
  return lock.packages;
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
    const fromElsewhere = Object.entries(await readLock(appDirectory))
      .filter(([path]) => path.includes('node_modules/@tollgate/'))
      .filter(
        ([path, entry]) =>
          !/^node_modules\/@tollgate\/[^/]+$/.test(path) || !entry.resolved?.startsWith('file:'),
      )
      .map(([path, entry]) => `${path} (${entry.resolved ?? 'from the registry'})`);
    expect(fromElsewhere).toEqual([]);
  });

  it('a SQLite user installing @tollgate/cli gets no MongoDB driver', async () => {
    const mongodbPackages = Object.keys(await readLock(sqliteCliAppDirectory)).filter((path) =>
      /node_modules\/(mongodb|@tollgate\/mongodb)$/.test(path),
    );
    expect(mongodbPackages).toEqual([]);
  });
});
