import path from 'node:path';
import { createBudget, createUsage } from '@tollgate/core';
import { SqliteStore } from '@tollgate/sqlite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runTollgate } from '../testing/run-tollgate';
import { temporaryDirectory } from '../testing/temporary-directory';

// Two app instances share a budget through one SQLite file, each admitting calls from a quota
// lease; the command, run while they hold them, says who holds what.

const directory = temporaryDirectory();
const file = path.join(directory.path, 'usage.db');
// The command and the apps on the same clock: a hold past its lease is reclaimed by whoever reads it.
const now = Date.now();
const budgets = [{ id: 'team', limitUsd: 10, period: 'month' as const }];
const instances = ['web-1', 'web-2'].map((instanceId) =>
  createBudget({ store: new SqliteStore({ path: file }), clock: () => now, budgets, leases: { instanceId } }),
);

beforeAll(async () => {
  for (const budget of instances) {
    const admission = await budget.gate({
      provider: 'openai',
      model: 'gpt-4o-mini',
      inputTokens: 1000,
      maxOutputTokens: 100,
    });
    await admission.settle({ usage: createUsage({ inputTokens: 1000, outputTokens: 50 }) });
    await budget.flushUsage();
  }
});

afterAll(async () => {
  for (const budget of instances) await budget.close();
  directory.remove();
});

it('shows the quota leases each instance holds on a budget, in JSON and in the terminal', async () => {
  const json = await runTollgate(['status', '--store', `sqlite:${file}`, '--json'], {
    env: { TOLLGATE_NOW: undefined },
  });
  expect(json.stderr).toBe('');
  const [status] = JSON.parse(json.stdout).statuses;
  // Each instance's first lease covers 4 calls like its first (210,000 each).
  expect(status.leases).toEqual({
    heldUsd: 0.00168,
    heldNano: 1_680_000,
    byInstance: [
      { instanceId: 'web-1', leases: 1, heldUsd: 0.00084, heldNano: 840_000 },
      { instanceId: 'web-2', leases: 1, heldUsd: 0.00084, heldNano: 840_000 },
    ],
  });
  expect(status.reservedNano).toBe(1_680_000);

  const text = await runTollgate(['status', '--store', `sqlite:${file}`], {
    env: { TOLLGATE_NOW: undefined },
  });
  expect(text.stdout).toContain('reserved $0.0017 (leases $0.0017: web-1 $0.00084, web-2 $0.00084)');
});
