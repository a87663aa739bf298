import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StorageUnavailableError, createBudget, createUsage } from '@tollgate/core';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { MongoStore } from './mongo-store';
import { testServerUri, uniqueName } from './testing/test-database';

const KEY = { budgetId: 'app', scope: 'global', period: 'month:2026-11' };
const NOW = Date.UTC(2026, 10, 29);
const BUDGETS = [{ id: 'app', limitUsd: 30, period: 'month' as const }];
const CALL = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1_000, maxOutputTokens: 100 };
const dbName = uniqueName('unreachable');

afterAll(async () => {
  const client = new MongoClient(testServerUri());
  await client.db(dbName).dropDatabase();
  await client.close();
});

/** A loopback port nothing listens on: bound to learn a free one, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** What a promise rejected with (it must reject). */
async function rejectionOf(operation: Promise<unknown>): Promise<unknown> {
  return operation.then(
    () => expect.unreachable('it should have rejected'),
    (error: unknown) => error,
  );
}

/** The gate's (or status') error on a server that refuses connections: why, with the driver's error. */
function expectUnreachable(error: unknown): void {
  expect(StorageUnavailableError.isInstance(error), String(error)).toBe(true);
  const { message, cause } = error as StorageUnavailableError;
  expect(message).toContain('could not reach the MongoDB server');
  expect(message).toContain('ECONNREFUSED');
  expect(cause).toMatchObject({
    name: 'MongoServerSelectionError',
    message: expect.stringContaining('ECONNREFUSED'),
  });
}

describe('a MongoStore made from a uri whose server refuses connections', () => {
  it("fails the gate and status with StorageUnavailableError saying why, the driver's error as cause", async () => {
    const port = await closedPort();
    const budget = createBudget({
      store: new MongoStore({ uri: `mongodb://127.0.0.1:${port}/tg` }),
      budgets: BUDGETS,
    });
    try {
      expectUnreachable(await rejectionOf(budget.gate(CALL)));
      expectUnreachable(await rejectionOf(budget.status()));
    } finally {
      await budget.close();
    }
  });

  it('close() ends a connect still selecting a server: what waits for it is told the store is closed', async () => {
    const port = await closedPort();
    // The driver's own default: the store used to wait that long for the connect before closing.
    const store = new MongoStore({
      uri: `mongodb://127.0.0.1:${port}/tg`,
      clientOptions: { serverSelectionTimeoutMS: 30_000 },
    });
    const read = rejectionOf(store.readCounters([KEY], NOW));
    await store.close();
    const error = await read;
    expect(StorageUnavailableError.isInstance(error), String(error)).toBe(true);
    expect((error as Error).message).toBe('The MongoStore is closed.');
  });

  it('budget.close() does not wait for the server selection, and keeps the record it could not write', async () => {
    const port = await closedPort();
    const path = join(mkdtempSync(join(tmpdir(), 'tollgate-unreachable-')), 'pending.jsonl');
    const budget = createBudget({
      // Far longer than this test's timeout: a close that waited for it would never end here.
      store: new MongoStore({
        uri: `mongodb://127.0.0.1:${port}/tg`,
        clientOptions: { serverSelectionTimeoutMS: 600_000 },
      }),
      budgets: BUDGETS,
      admissionTimeoutMs: 500,
      failOpen: { allowanceUsd: 1 },
      usageBuffer: { path, retryIntervalMs: 60_000 },
    });
    const admission = await budget.gate(CALL);
    expect(admission.failOpen).toBe(true);
    const usage = createUsage({ inputTokens: 1_000, outputTokens: 100 });
    expect(await admission.settle({ usage, requestId: 'chatcmpl-unreachable-1' })).toMatchObject({
      buffered: true,
    });

    await budget.close();
    expect(budget.pendingUsage).toBe(1);
    expect(existsSync(path) && readFileSync(path, 'utf8')).toContain('chatcmpl-unreachable-1');

    // Once a server answers, a budget with the same spill file writes it.
    const store = new MongoStore({ uri: testServerUri(), dbName });
    const restarted = createBudget({ store, budgets: BUDGETS, usageBuffer: { path } });
    try {
      expect(await restarted.flushUsage()).toBe(0);
      expect(await store.getRecord('chatcmpl-unreachable-1')).toMatchObject({
        requestId: 'chatcmpl-unreachable-1',
      });
    } finally {
      await restarted.close();
    }
  }, 60_000);
});

describe('a MongoStore given a client', () => {
  it('close() does not wait for that client to find a server; the app closing it ends what waits', async () => {
    const port = await closedPort();
    const client = new MongoClient(`mongodb://127.0.0.1:${port}/tg`, { serverSelectionTimeoutMS: 30_000 });
    const store = new MongoStore({ client });
    let settled = false;
    const read = rejectionOf(store.readCounters([KEY], NOW)).finally(() => {
      settled = true;
    });
    try {
      await store.close();
      // Still waiting for the app's client, which the store does not close.
      expect(settled).toBe(false);
    } finally {
      await client.close();
    }
    const error = await read;
    expect(StorageUnavailableError.isInstance(error), String(error)).toBe(true);
    expect((error as Error).message).toBe('The MongoStore is closed.');
  });

  it("keeps the client's server selection timeout, and says the server could not be reached", async () => {
    const port = await closedPort();
    const client = new MongoClient(`mongodb://127.0.0.1:${port}/tg`, { serverSelectionTimeoutMS: 200 });
    const store = new MongoStore({ client });
    try {
      expectUnreachable(await rejectionOf(store.readCounters([KEY], NOW)));
      expect(client.options.serverSelectionTimeoutMS).toBe(200);
    } finally {
      await store.close();
      await client.close();
    }
  });
});
