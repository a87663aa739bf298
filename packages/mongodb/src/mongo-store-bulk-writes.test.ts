import { readFileSync } from 'node:fs';
import type { CommitRequest } from '@tollgate/core';
import { type CommandStartedEvent, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MongoTestServer, startMongoTestServer } from '../test-server/start-test-server.mjs';
import { BULK_WRITE_LIMITS, type BulkWriteMode, isFerretDbBuildInfo } from './bulk-write-limits';
import { MongoStore } from './mongo-store';
import type { MongoStoreOptions } from './mongo-store-options';
import { testServerUri, uniqueName } from './testing/test-database';
import { usageRecord } from './testing/usage-record';

const NOW = Date.UTC(2026, 10, 29, 12);
const KEY = { budgetId: 'app', scope: 'global', period: 'month:2026-11', day: '2026-11-29' };
const WRITE_COMMANDS = ['insert', 'update', 'delete'];
// More usages than a serial bulk write takes, on many rollup rows: every collection gets a bulk write.
const BATCH = 400;
// buildInfo answers recorded from each server (FerretDB names itself there, the others do not).
const buildInfos: Record<string, Record<string, unknown>> = JSON.parse(
  readFileSync(new URL('./__fixtures__/build-info.json', import.meta.url), 'utf8'),
);

function request(index: number): CommitRequest {
  return {
    record: usageRecord({
      requestId: `b${index}`,
      timestamp: NOW,
      day: KEY.day,
      userId: `u-${index % 120}`,
      cost: 1_000 + index,
      inputTokens: 100,
      outputTokens: 10,
    }),
    counters: [KEY],
    now: NOW,
  };
}

/**
 * The write commands a `commitMany` sent: how many operations each update command had (FerretDB's
 * limit is on updates), and how many write commands were pending at most.
 */
async function bulkWritesOfCommitMany(uri: string, options: Partial<MongoStoreOptions>) {
  const client = new MongoClient(uri, { monitorCommands: true });
  const dbName = uniqueName('bulk_writes');
  const pending = new Set<number>();
  const operations: number[] = [];
  let mostPending = 0;
  let counting = false;
  client.on('commandStarted', (event: CommandStartedEvent) => {
    if (!counting || !WRITE_COMMANDS.includes(event.commandName)) return;
    if (event.commandName === 'update') operations.push(event.command.updates.length);
    pending.add(event.requestId);
    mostPending = Math.max(mostPending, pending.size);
  });
  const settled = (event: { requestId: number }) => pending.delete(event.requestId);
  client.on('commandSucceeded', settled);
  client.on('commandFailed', settled);
  const store = new MongoStore({ client, dbName, ...options });
  try {
    await store.readCounters([], NOW); // connects, creates the indexes, detects the server
    counting = true;
    const result = await store.commitMany(Array.from({ length: BATCH }, (_, index) => request(index)));
    counting = false;
    expect(result.recorded.every(Boolean)).toBe(true);
    const [counter] = await store.readCounters([KEY], NOW);
    const expectedCost = Array.from({ length: BATCH }, (_, index) => 1_000 + index).reduce((a, b) => a + b);
    expect(counter?.committed).toBe(expectedCost);
    return { operations, mostPending };
  } finally {
    await store.close();
    await client.db(dbName).dropDatabase();
    await client.close();
  }
}

describe('the server is recognized from its buildInfo answer', () => {
  it.each(Object.entries(buildInfos))('%s', (server, buildInfo) => {
    expect(isFerretDbBuildInfo(buildInfo)).toBe(server.startsWith('ferretdb'));
  });
});

describe('commitMany on the test server (or MONGODB_URI)', () => {
  let expected: BulkWriteMode;

  beforeAll(async () => {
    const client = new MongoClient(testServerUri());
    const buildInfo = await client.db('admin').command({ buildInfo: 1 });
    await client.close();
    expected = isFerretDbBuildInfo(buildInfo) ? 'serial' : 'parallel';
  });

  it('sends bulk writes as large as the server takes, unless it is FerretDB', async () => {
    const { operations, mostPending } = await bulkWritesOfCommitMany(testServerUri(), {});
    const largest = Math.max(...operations);
    if (expected === 'parallel')
      expect(largest).toBeGreaterThan(BULK_WRITE_LIMITS.serial.operationsPerBulkWrite);
    else {
      expect(largest).toBeLessThanOrEqual(BULK_WRITE_LIMITS.serial.operationsPerBulkWrite);
      expect(mostPending).toBe(1);
    }
  });

  it("sends at most 50 operations at a time with bulkWrites: 'serial'", async () => {
    const { operations, mostPending } = await bulkWritesOfCommitMany(testServerUri(), {
      bulkWrites: 'serial',
    });
    expect(Math.max(...operations)).toBeLessThanOrEqual(BULK_WRITE_LIMITS.serial.operationsPerBulkWrite);
    expect(mostPending).toBe(1);
  });
});

describe('commitMany on FerretDB', () => {
  let server: MongoTestServer;

  beforeAll(async () => {
    server = await startMongoTestServer({ kind: 'ferretdb' });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('keeps to FerretDB v1 limits without being told', async () => {
    const { operations, mostPending } = await bulkWritesOfCommitMany(server.uri, {});
    expect(Math.max(...operations)).toBeLessThanOrEqual(BULK_WRITE_LIMITS.serial.operationsPerBulkWrite);
    expect(mostPending).toBe(1);
  });
});
