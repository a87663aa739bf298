import { afterAll, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store';
import { runBuiltScript } from './testing/built-package';
import { temporaryDirectory } from './testing/temporary-directory';

const directory = temporaryDirectory();
afterAll(() => directory.remove());

it('an app that dies of its first refusal, uncaught, has saved the limit it enforced', async () => {
  const path = directory.file('crash.db');
  const run = (limitUsd: string) => runBuiltScript('first-call-crash-script.mjs', [path, limitUsd]);
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
