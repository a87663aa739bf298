import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store';
import { temporaryDirectory } from './testing/temporary-directory';

const PACKAGE_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./testing/first-call-crash-script.mjs', import.meta.url));
const directory = temporaryDirectory();
afterAll(() => directory.remove());

it('an app that dies of its first refusal, uncaught, has saved the limit it enforced', async () => {
  if (!existsSync(`${PACKAGE_DIRECTORY}dist/index.js`))
    execFileSync('pnpm', ['exec', 'tsup'], { cwd: PACKAGE_DIRECTORY, stdio: 'ignore' });
  const path = directory.file('crash.db');
  const run = (limitUsd: string) =>
    spawnSync(process.execPath, [SCRIPT, path, limitUsd], { cwd: PACKAGE_DIRECTORY, encoding: 'utf8' });
  // A first run with a large limit, then the app lowers it and dies of the refusal.
  expect(run('1000').status).toBe(0);
  const crashed = run('0.01');
  expect(crashed.status).not.toBe(0);
  expect(crashed.stderr).toContain('BudgetExceededError');
  const store = new SqliteStore({ path });
  const [app] = await store.readBudgets();
  await store.close();
  expect(app).toMatchObject({ id: 'app', limitNano: 10_000_000 });
});
