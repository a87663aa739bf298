import { type CommitRequest, MemoryStore } from '@tollgate/core';
import { MongoClient } from 'mongodb';
import { afterAll, expect, it } from 'vitest';
import { MongoStore } from './mongo-store';
import { usageRecord } from './testing/usage-record';
import { testServerUri, uniqueName } from './testing/test-database';
import { writeCuttingClient } from './testing/write-cutting-client';

const NOW = Date.UTC(2026, 10, 29, 12);
const DAYS = ['2026-11-27', '2026-11-28', '2026-11-29'];
const KEYS = [
  { budgetId: 'app', scope: 'global', period: 'month:2026-11' },
  { budgetId: 'per-user', scope: 'user:u-1', period: 'month:2026-11' },
];
const client = new MongoClient(testServerUri());
const dbName = uniqueName('commit_many');
let stores = 0;

afterAll(async () => {
  await client.db(dbName).dropDatabase();
  await client.close();
});

function makeStore() {
  stores += 1;
  return new MongoStore({ client, dbName, collectionPrefix: `batch${stores}_` });
}

function request(index: number, requestId = `q${index}`): CommitRequest {
  const day = DAYS[index % DAYS.length]!;
  const record = usageRecord({
    requestId,
    timestamp: NOW,
    day,
    provider: index % 2 === 0 ? 'openai' : 'anthropic',
    model: index % 3 === 0 ? 'gpt-4o' : 'gpt-4o-mini',
    catalogModel: index % 3 === 0 ? 'gpt-4o' : 'gpt-4o-mini',
    ...(index % 4 === 0 ? {} : { userId: `u-${index % 4}` }),
    cost: 1_000 + index,
    estimated: index % 5 === 0,
    inputTokens: 100 + index,
    cacheReadTokens: index,
    outputTokens: 10,
  });
  return { record, counters: KEYS.map((key) => ({ ...key, day })), now: NOW };
}

const sortRows = <T extends Record<string, unknown>>(rows: T[]) =>
  [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

it('records a batch like one commit each, and a repeated request id charges nothing', async () => {
  const store = makeStore();
  const reference = new MemoryStore();
  const earlier = request(3);
  await store.commit(earlier);
  await reference.commit(earlier);
  const batch = [...Array.from({ length: 60 }, (_, index) => request(index)), request(7), request(99, 'q3')];
  const result = await store.commitMany(batch);
  expect(result.recorded.filter((recorded) => !recorded)).toHaveLength(3);
  expect(result.recorded[3]).toBe(false);
  expect(result.recorded[60]).toBe(false);
  expect(result.recorded[61]).toBe(false);
  for (const item of batch) await reference.commit(item);

  expect(await store.readCounters(KEYS, NOW)).toEqual(await reference.readCounters(KEYS, NOW));
  const range = { fromDay: DAYS[0]!, toDay: DAYS[2]! };
  expect(sortRows(await store.queryRollups(range))).toEqual(sortRows(await reference.queryRollups(range)));
  for (const key of KEYS) {
    const query = { budgetId: key.budgetId, scope: key.scope, ...range };
    expect(await store.readDailySpend(query)).toEqual(await reference.readDailySpend(query));
  }
  expect(await store.getRecord('q42')).toEqual(await reference.getRecord('q42'));

  const again = await store.commitMany(batch);
  expect(again.recorded.every((recorded) => !recorded)).toBe(true);
  expect(await store.readCounters(KEYS, NOW)).toEqual(await reference.readCounters(KEYS, NOW));
  await store.close();
});

it('releases the reservations of the batch exactly once', async () => {
  const store = makeStore();
  for (const index of [0, 1, 2]) {
    const reserved = await store.reserve({
      reservationId: `r${index}`,
      amount: 5_000,
      counters: KEYS.map((key) => ({ ...key, capacity: 100_000, periodEnd: NOW + 86_400_000 })),
      leaseMs: 60_000,
      now: NOW,
    });
    expect(reserved.ok).toBe(true);
  }
  const batch = [0, 1, 2].map((index) => ({ ...request(index), reservationId: `r${index}` }));
  await Promise.all([store.commitMany(batch), store.commitMany(batch), store.release('r1', NOW)]);
  const states = await store.readCounters(KEYS, NOW);
  expect(states.map((state) => state.reserved)).toEqual([0, 0]);
  expect(states.map((state) => state.committed)).toEqual([3_003, 3_003]);
  const counters = await client.db(dbName).collection(`batch${stores}_counters`).find().toArray();
  expect(counters.map((counter) => [Number(counter.reserved), Number(counter.used), counter.holds])).toEqual([
    [0, 3_003, []],
    [0, 3_003, []],
  ]);
  await store.close();
});

it('accepts an empty batch without a round trip', async () => {
  const store = makeStore();
  expect(await store.commitMany([])).toEqual({ recorded: [] });
  await store.close();
});

for (const [name, cut] of [
  ['after the usage insert', 1],
  ['after the counter charges', 2],
  ['after all charges, before the usages are marked complete', 4],
] as const) {
  it(`a batch cut off ${name} is charged once when it is sent again`, async () => {
    stores += 1;
    const prefix = `batch${stores}_`;
    const cutting = writeCuttingClient(client, prefix);
    const store = new MongoStore({ client: cutting.client, dbName, collectionPrefix: prefix });
    const reference = new MemoryStore();
    const batch = Array.from({ length: 12 }, (_, index) => request(index));
    await store.readCounters(KEYS, NOW);
    cutting.cutAfter(cut);
    await expect(store.commitMany(batch)).rejects.toThrow('cut off');
    await cutting.settled();
    expect(cutting.writes).toEqual(
      ['usages.insertMany', 'counters.bulkWrite', 'daily_spend.bulkWrite', 'rollups.bulkWrite'].slice(0, cut),
    );
    await store.close();

    const again = new MongoStore({ client, dbName, collectionPrefix: prefix });
    expect((await again.commitMany(batch)).recorded.every((recorded) => !recorded)).toBe(true);
    for (const item of batch) await reference.commit(item);
    expect(await again.readCounters(KEYS, NOW)).toEqual(await reference.readCounters(KEYS, NOW));
    const range = { fromDay: DAYS[0]!, toDay: DAYS[2]! };
    expect(sortRows(await again.queryRollups(range))).toEqual(sortRows(await reference.queryRollups(range)));
    for (const key of KEYS) {
      const query = { budgetId: key.budgetId, scope: key.scope, ...range };
      expect(await again.readDailySpend(query)).toEqual(await reference.readDailySpend(query));
    }
    await again.close();
  });
}
