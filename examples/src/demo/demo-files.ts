import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BudgetConfig } from '@tollgate/core';

export interface DemoFiles {
  /** The folder that holds `.tollgate/`: the repository root, or `TOLLGATE_DEMO_DIR`. */
  directory: string;
  databasePath: string;
  configPath: string;
}

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Starts the demo from a fresh SQLite file and writes `.tollgate/config.json`, so that
 * `tollgate status` and `tollgate report` run in the same folder see the demo's budgets.
 */
export function prepareDemoFiles(budgets: readonly BudgetConfig[]): DemoFiles {
  const directory = resolve(process.env.TOLLGATE_DEMO_DIR ?? REPOSITORY_ROOT);
  const folder = join(directory, '.tollgate');
  const databasePath = join(folder, 'tollgate.db');
  const configPath = join(folder, 'config.json');
  mkdirSync(folder, { recursive: true });
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(databasePath + suffix, { force: true });
  writeFileSync(configPath, `${JSON.stringify({ budgets, reportTimeZone: 'UTC' }, null, 2)}\n`);
  return { directory, databasePath, configPath };
}
