import { type CommitRequest, createBudget, createUsage } from '@tollgate/core';
import { afterAll, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store';
import { runBuiltScript } from './testing/built-package';
import { temporaryDirectory } from './testing/temporary-directory';

const SCRIPT = 'leased-script.mjs';
const directory = temporaryDirectory();
afterAll(() => directory.remove());

const NOW = Date.UTC(2026, 10, 29, 12);
const KEY = { budgetId: 'team', scope: 'global', period: 'month:2026-11' };
const COST = 180_000; // gpt-4o-mini, 1,000 tokens in and 50 out

/** Counts the batches written, and what is reserved one call at a time. */
class CountingSqliteStore extends SqliteStore {
  batches: number[] = [];
  reservations: string[] = [];
  commits = 0;
  override async commit(...args: Parameters<SqliteStore['commit']>) {
    this.commits++;
    return super.commit(...args);
  }
  override async commitMany(requests: readonly CommitRequest[]) {
    this.batches.push(requests.length);
    return super.commitMany(requests);
  }
  override async reserve(...args: Parameters<SqliteStore['reserve']>) {
    this.reservations.push(args[0].reservationId);
    return super.reserve(...args);
  }
}

it('admits calls from leases on a SQLite file and writes their records in batches, one transaction each', async () => {
  const store = new CountingSqliteStore({ path: directory.file('leases.db') });
  const budget = createBudget({
    store,
    clock: () => NOW,
    budgets: [{ id: 'team', limitUsd: 10, period: 'month' }],
    leases: { instanceId: 'worker-1', flushIntervalMs: 3_600_000 },
  });
  for (let index = 0; index < 200; index++) {
    const admission = await budget.gate({
      provider: 'openai',
      model: 'gpt-4o-mini',
      inputTokens: 1000,
      maxOutputTokens: 100,
    });
    await admission.settle({
      usage: createUsage({ inputTokens: 1000, outputTokens: 50 }),
      requestId: `call-${index}`,
    });
  }
  // Leases that grow with use: a handful of reservations for 200 calls, each a lease.
  expect(store.reservations.length).toBeLessThanOrEqual(8);
  expect(store.reservations).toEqual(
    store.reservations.map((_, index) =>
      expect.stringMatching(new RegExp(`^lease~worker-1~[^~]+-${index + 1}$`)),
    ),
  );
  expect(await budget.flushUsage()).toBe(0);
  // Every record went out in a batch (one transaction each), none alone.
  expect(store.batches.reduce((sum, size) => sum + size, 0)).toBe(200);
  expect(store.batches.length).toBeLessThanOrEqual(store.reservations.length + 1);
  expect(store.commits).toBe(0);
  await budget.close();
  // close() gave the lease back and closed the store: the file, opened again, says so.
  const reopened = new SqliteStore({ path: directory.file('leases.db') });
  expect(await reopened.readCounters([KEY], NOW)).toEqual([{ ...KEY, committed: 200 * COST, reserved: 0 }]);
  expect(await reopened.readHolds(KEY, NOW)).toEqual([]);
  await reopened.close();
});

it('a script that ends without close() still writes its records and gives its lease back', async () => {
  const path = directory.file('script.db');
  const run = runBuiltScript(SCRIPT, [path, '20', String(NOW)]);
  expect(run.status).toBe(0);
  // When its last call returned, all 20 records still waited to be written.
  expect(run.stdout.trim()).toBe('20');
  const store = new SqliteStore({ path });
  expect(await store.readCounters([KEY], NOW)).toEqual([{ ...KEY, committed: 20 * COST, reserved: 0 }]);
  expect(await store.readHolds(KEY, NOW)).toEqual([]);
  await store.close();
});

it('a script that ends with process.exit() before close() says how many records were not written', async () => {
  const run = (ending: string) =>
    runBuiltScript(SCRIPT, [directory.file(`${ending}.db`), '12', String(NOW), ending]);
  const exited = run('exit');
  expect(exited.status).toBe(0);
  expect(exited.stdout.trim()).toBe('12');
  expect(exited.stderr).toContain(
    'tollgate: 12 records of calls admitted from quota leases were not written: the process exited before budget.close()',
  );
  // With a spill file the records wait there for the next start: nothing is lost, nothing said.
  const kept = run('exit-with-file');
  expect(kept.status).toBe(0);
  expect(kept.stderr).not.toContain('were not written');
});

it("writes a leased call under its own id when another process's record on the file has its response id", async () => {
  const path = directory.file('repeated-id.db');
  const call = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1000, maxOutputTokens: 100 };
  const usage = createUsage({ inputTokens: 1000, outputTokens: 50 });
  const budgets = [{ id: 'team', limitUsd: 10, period: 'month' as const }];
  const other = createBudget({ store: new SqliteStore({ path }), clock: () => NOW, budgets });
  await (await other.gate(call)).settle({ usage, requestId: 'chatcmpl-1' });
  await other.close();

  const store = new CountingSqliteStore({ path });
  const codes: string[] = [];
  const budget = createBudget({
    store,
    clock: () => NOW,
    budgets,
    leases: { flushIntervalMs: 3_600_000 },
    onWarning: (warning) => codes.push(warning.code),
  });
  const admission = await budget.gate(call);
  await admission.settle({ usage, requestId: 'chatcmpl-1' });
  await budget.close();

  expect(store.batches.length).toBeGreaterThan(0);
  expect(codes).toEqual(['TOLLGATE_DUPLICATE_RESPONSE_ID']);
  const reader = new SqliteStore({ path });
  expect(await reader.readCounters([KEY], NOW)).toEqual([{ ...KEY, committed: 2 * COST, reserved: 0 }]);
  expect(await reader.getRecord(admission.requestId)).toMatchObject({ cost: COST });
  await reader.close();
});
