import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBudget, createUsage, StorageUnavailableError } from '@tollgate/core';
import { MongoStore } from '@tollgate/mongodb';
import { MongoClient } from 'mongodb';
import { afterAll, expect, it } from 'vitest';
import { watchDriverGiveUps } from './driver-give-ups';
import { LOAD_CALL } from './gated-load';
import { startTcpFaultProxy } from './tcp-fault-proxy';
import { mongodbAddress, mongodbUri, uniqueDatabaseName } from './test-mongodb';

const ADMISSION_TIMEOUT_MS = 1_000;
const BUDGETS = [{ id: 'app', limitUsd: 100, period: 'total' as const }];

const directories: string[] = [];
const figures: Record<string, number> = {};

afterAll(() => {
  console.log(
    `Waits while MongoDB is blackholed, driver defaults (ms):\n${JSON.stringify(figures, null, 2)}`,
  );
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

/**
 * Runs `operation`, which meets a blackholed MongoDB, and checks that it was answered without the
 * driver: nothing came back from the server, and the driver had given up on nothing since the
 * operation began (with its defaults it waits 30 s or more), so the answer came from tollgate's
 * admission timeout. How long it took is a figure, not a check.
 */
async function answeredWithoutTheStore<T>(
  name: string,
  giveUps: readonly string[],
  operation: () => Promise<T>,
): Promise<T | unknown> {
  const giveUpsBefore = giveUps.length;
  const started = performance.now();
  const value = await operation().catch((error: unknown) => error);
  figures[name] = Math.round(performance.now() - started);
  expect(giveUps.slice(giveUpsBefore), name).toEqual([]);
  return value;
}

it("with the driver's default timeouts, nothing waits for a blackholed MongoDB: the admission timeout answers first", async () => {
  const server = mongodbAddress();
  const proxy = await startTcpFaultProxy({ targetHost: server.host, targetPort: server.port });
  const directory = mkdtempSync(join(tmpdir(), 'tollgate-hung-'));
  directories.push(directory);
  const spillPath = join(directory, 'usage-buffer.jsonl');
  const dbName = uniqueDatabaseName('hung');
  const proxied = new URL(mongodbUri());
  proxied.host = `127.0.0.1:${proxy.port}`;
  proxied.searchParams.set('directConnection', 'true');
  // No timeout set: the driver's defaults.
  const client = new MongoClient(proxied.href, { monitorCommands: true });
  const giveUps = watchDriverGiveUps(client);
  const budget = createBudget({
    store: new MongoStore({ client, dbName }),
    budgets: BUDGETS,
    admissionTimeoutMs: ADMISSION_TIMEOUT_MS,
    usageBuffer: { path: spillPath, retryIntervalMs: 3_600_000 },
  });
  try {
    await budget.status();
    const admitted = await budget.gate({ ...LOAD_CALL, requestId: 'admitted-before' });
    proxy.setMode('blackhole');

    const refusal = await answeredWithoutTheStore('gate', giveUps, () => budget.gate(LOAD_CALL));
    expect(StorageUnavailableError.isInstance(refusal)).toBe(true);

    const settled = await answeredWithoutTheStore('settle (buffered)', giveUps, () =>
      admitted.settle({ usage: createUsage({ inputTokens: 1_000, outputTokens: 42 }) }),
    );
    expect(settled).toMatchObject({ buffered: true });

    const status = await answeredWithoutTheStore('status', giveUps, () => budget.status());
    expect(StorageUnavailableError.isInstance(status)).toBe(true);

    proxy.setMode('pass');
    const providerError = new Error('provider failed');
    const guarded = await answeredWithoutTheStore('guard whose function throws', giveUps, () =>
      budget.guard(LOAD_CALL, async () => {
        proxy.setMode('blackhole');
        throw providerError;
      }),
    );
    expect(guarded).toBe(providerError);

    expect(await answeredWithoutTheStore('flushUsage', giveUps, () => budget.flushUsage())).toBe(1);
    expect(await answeredWithoutTheStore('close', giveUps, () => budget.close())).toBeUndefined();
    expect(readFileSync(spillPath, 'utf8')).toContain('admitted-before');
  } finally {
    await budget.close().catch(() => {});
    await proxy.close();
    await client.close();
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
  expect(status!.usedNano).toBe(1_000 * 150 + 42 * 600);
});
