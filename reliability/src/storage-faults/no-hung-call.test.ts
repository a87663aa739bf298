import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBudget, createUsage, StorageUnavailableError } from '@tollgate/core';
import { MongoStore } from '@tollgate/mongodb';
import { afterAll, expect, it } from 'vitest';
import { LOAD_CALL } from './gated-load';
import { startTcpFaultProxy } from './tcp-fault-proxy';
import { mongodbAddress, mongodbUri, uniqueDatabaseName } from './test-mongodb';

const ADMISSION_TIMEOUT_MS = 1_000;
/** Generous for a busy machine; with the driver's defaults a blackholed operation waits 30 s or more. */
const BOUND_MS = ADMISSION_TIMEOUT_MS + 2_000;
const BUDGETS = [{ id: 'app', limitUsd: 100, period: 'total' as const }];

const directories: string[] = [];
const figures: Record<string, number> = {};

afterAll(() => {
  console.log(
    `Waits while MongoDB is blackholed, driver defaults (ms):\n${JSON.stringify(figures, null, 2)}`,
  );
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

async function timed<T>(name: string, operation: () => Promise<T>): Promise<T | unknown> {
  const started = performance.now();
  const value = await operation().catch((error: unknown) => error);
  figures[name] = Math.round(performance.now() - started);
  expect(figures[name]).toBeLessThanOrEqual(BOUND_MS);
  return value;
}

it("with the driver's default timeouts, nothing waits for a blackholed MongoDB longer than the admission timeout", async () => {
  const server = mongodbAddress();
  const proxy = await startTcpFaultProxy({ targetHost: server.host, targetPort: server.port });
  const directory = mkdtempSync(join(tmpdir(), 'tollgate-hung-'));
  directories.push(directory);
  const spillPath = join(directory, 'usage-buffer.jsonl');
  const dbName = uniqueDatabaseName('hung');
  const proxied = new URL(mongodbUri());
  proxied.host = `127.0.0.1:${proxy.port}`;
  proxied.searchParams.set('directConnection', 'true');
  const budget = createBudget({
    store: new MongoStore({ uri: proxied.href, dbName }),
    budgets: BUDGETS,
    admissionTimeoutMs: ADMISSION_TIMEOUT_MS,
    usageBuffer: { path: spillPath, retryIntervalMs: 3_600_000 },
  });
  try {
    await budget.status();
    const admitted = await budget.gate({ ...LOAD_CALL, requestId: 'admitted-before' });
    proxy.setMode('blackhole');

    const refusal = await timed('gate', () => budget.gate(LOAD_CALL));
    expect(StorageUnavailableError.isInstance(refusal)).toBe(true);

    const settled = await timed('settle (buffered)', () =>
      admitted.settle({ usage: createUsage({ inputTokens: 1_000, outputTokens: 42 }) }),
    );
    expect(settled).toMatchObject({ buffered: true });

    const status = await timed('status', () => budget.status());
    expect(StorageUnavailableError.isInstance(status)).toBe(true);

    proxy.setMode('pass');
    const providerError = new Error('provider failed');
    const guarded = await timed('guard whose function throws', () =>
      budget.guard(LOAD_CALL, async () => {
        proxy.setMode('blackhole');
        throw providerError;
      }),
    );
    expect(guarded).toBe(providerError);

    expect(await timed('flushUsage', () => budget.flushUsage())).toBe(1);
    expect(await timed('close', () => budget.close())).toBeUndefined();
    expect(readFileSync(spillPath, 'utf8')).toContain('admitted-before');
  } finally {
    await budget.close().catch(() => {});
    await proxy.close();
  }

  // The usage that waited is written by the next process on the spill file.
  const restarted = createBudget({
    store: new MongoStore({ uri: mongodbUri(), dbName }),
    budgets: BUDGETS,
    usageBuffer: { path: spillPath },
  });
  expect(await restarted.flushUsage()).toBe(0);
  const [status] = await restarted.status();
  await restarted.close();
  expect(status!.nano.used).toBe(1_000 * 150 + 42 * 600);
});
