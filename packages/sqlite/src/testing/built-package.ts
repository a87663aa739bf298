import { execFileSync, type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package's folder: scripts run from it, so that they import the built package as an app does. */
export const PACKAGE_DIRECTORY = fileURLToPath(new URL('../..', import.meta.url));

/** Builds the package when its `dist/` is missing (a test run on a fresh checkout), for scripts that import it. */
export function ensureBuilt(): void {
  if (!existsSync(`${PACKAGE_DIRECTORY}dist/index.js`))
    execFileSync('pnpm', ['exec', 'tsup'], { cwd: PACKAGE_DIRECTORY, stdio: 'ignore' });
}

/** Runs a script of `src/testing/` in its own process against the built package: its exit status and output. */
export function runBuiltScript(script: string, args: readonly string[]): SpawnSyncReturns<string> {
  ensureBuilt();
  const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
  return spawnSync(process.execPath, [path, ...args], { cwd: PACKAGE_DIRECTORY, encoding: 'utf8' });
}
