import type { CommitRequest, UsageRecord } from '@tollgate/core';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { APPLIED_MARKERS_KEPT } from './applied-markers';
import { MongoStore } from './mongo-store';
import { usageRecord } from './testing/usage-record';
import { testServerUri, uniqueName } from './testing/test-database';
import { writeCuttingClient } from './testing/write-cutting-client';

// A commit is several single-document writes. Here it is stopped after each of them in turn,
// as a kill -9 or a lost connection would stop it, and then recovered the two ways an app
// recovers: the usage buffer sends the same commit again, or no one does and the lease
// passes. Either way the call must end up charged exactly once.

const NOW = Date.UTC(2026, 10, 29, 12);
const DAY = '2026-11-29';
const LEASE_MS = 10_000;
/** Past the lease, and past the age at which any store finishes an abandoned commit. */
const MUCH_LATER = NOW + 60_000;
const A = { budgetId: 'a', scope: 'global', period: 'month:2026-11' };
const B = { budgetId: 'b', scope: 'user:u-1', period: 'day:2026-11-29' };
const COST = 700;
const RESERVED = 1_000;
const limit = (key: typeof A) => ({ ...key, capacity: 100_000, periodEnd: NOW + 86_400_000 });

const C = { budgetId: 'c', scope: 'project:p-1', period: 'month:2026-11' };

const client = new MongoClient(testServerUri());
const dbName = uniqueName('cut_commit');
let stores = 0;

afterAll(async () => {
  await client.db(dbName).dropDatabase();
  await client.close();
});

interface Scenario {
  readonly name: string;
  /** The counters the reservation holds (none: a recording without a reservation). */
  readonly reserved: readonly (typeof A)[];
  /** The writes of the commit, in the order the store makes them. */
  readonly writes: readonly string[];
  /** Where the commit is cut off: after that many writes. */
  readonly cuts: readonly [string, number][];
}

const SCENARIOS: Scenario[] = [
  {
    name: 'a commit settling a reservation on the two counters it charges',
    reserved: [A, B],
    writes: [
      'usages.insertOne',
      'counters.findOneAndUpdate', // charge a, with its hold
      'counters.findOneAndUpdate', // charge b, with its hold
      'daily_spend.bulkWrite',
      'rollups.updateOne',
      'usages.updateOne', // complete
      'reservations.deleteOne',
    ],
    cuts: [
      ['after the usage insert', 1],
      ['after the first of two counter charges', 2],
      ['after both counter charges', 3],
      ['after all charges, before the usage is marked complete', 5],
      ['after the usage is marked complete, before the reservation is deleted', 6],
    ],
  },
  {
    name: 'a commit settling a reservation that also holds a counter it does not charge',
    reserved: [A, B, C],
    writes: [
      'usages.insertOne',
      'counters.findOneAndUpdate',
      'counters.findOneAndUpdate',
      'daily_spend.bulkWrite',
      'rollups.updateOne',
      'counters.updateOne', // the hold on c given back
      'usages.updateOne',
      'reservations.deleteOne',
    ],
    cuts: [
      ['after the first of two counter charges', 2],
      ['after all charges, before the hold left is given back', 5],
      ['after the hold is given back, before the reservation is deleted', 6],
      ['after the usage is marked complete, before the reservation is deleted', 7],
    ],
  },
  {
    name: 'a commit without a reservation (recordUsage)',
    reserved: [],
    writes: [
      'usages.insertOne',
      'counters.findOneAndUpdate',
      'counters.findOneAndUpdate',
      'daily_spend.bulkWrite',
      'rollups.updateOne',
      'usages.updateOne',
    ],
    cuts: [
      ['after the usage insert', 1],
      ['after the first of two counter charges', 2],
      ['after all charges, before the usage is marked complete', 5],
    ],
  },
];

function record(requestId: string): UsageRecord {
  return usageRecord({
    requestId,
    timestamp: NOW,
    day: DAY,
    userId: 'u-1',
    cost: COST,
    reserved: RESERVED,
    inputTokens: 100,
    outputTokens: 10,
  });
}

function commitRequest(scenario: Scenario, now = NOW): CommitRequest {
  return {
    ...(scenario.reserved.length > 0 ? { reservationId: 'r1' } : {}),
    record: record('q1'),
    counters: [A, B].map((key) => ({ ...key, day: DAY })),
    now,
  };
}

/** A commit stopped after `cut` writes, on a fresh set of collections. */
async function cutCommit(scenario: Scenario, cut: number) {
  stores += 1;
  const prefix = `cut${stores}_`;
  const cutting = writeCuttingClient(client, prefix);
  const store = new MongoStore({ client: cutting.client, dbName, collectionPrefix: prefix });
  // A store in use: its first operations are behind it (the writes that come with them and, on
  // FerretDB, the findAndModify projection it refuses once, then goes without).
  await store.readCounters([A, B, C], NOW);
  await store.reserve({ reservationId: 'warm-up', amount: 1, counters: [limit(C)], leaseMs: 1, now: NOW });
  await store.release('warm-up', NOW);
  if (scenario.reserved.length > 0) {
    const reserved = await store.reserve({
      reservationId: 'r1',
      amount: RESERVED,
      counters: scenario.reserved.map(limit),
      leaseMs: LEASE_MS,
      now: NOW,
    });
    expect(reserved.ok).toBe(true);
  }
  cutting.cutAfter(cut);
  const committed = store.commit(commitRequest(scenario));
  if (cut < scenario.writes.length) await expect(committed).rejects.toThrow('cut off');
  else await committed;
  await cutting.settled();
  await store.close();
  return { prefix, writes: [...cutting.writes] };
}

/** Another process on the same collections. */
function storeOf(prefix: string) {
  return new MongoStore({ client, dbName, collectionPrefix: prefix });
}

/** The budget: each charged counter counts the call once, and nothing stays held. */
async function expectCountersChargedOnce(prefix: string, now: number) {
  const db = client.db(dbName);
  const store = storeOf(prefix);
  const usages = await db.collection(`${prefix}usages`).find().toArray();
  const recordedCost = usages.reduce((sum, usage) => sum + Number(usage.cost), 0);
  expect(recordedCost).toBe(COST);
  expect(await store.readCounters([A, B, C], now)).toEqual([
    { ...A, committed: recordedCost, reserved: 0 },
    { ...B, committed: recordedCost, reserved: 0 },
    { ...C, committed: 0, reserved: 0 },
  ]);
  const counters = await db.collection(`${prefix}counters`).find().toArray();
  for (const counter of counters) {
    expect(Number(counter.used)).toBe(Number(counter.committed) + Number(counter.reserved));
    expect(counter.holds ?? []).toEqual([]);
  }
  await store.close();
}

/** Daily spend and rollups count the call once. */
async function expectReportsCountOnce(prefix: string) {
  const store = storeOf(prefix);
  for (const key of [A, B])
    expect(
      await store.readDailySpend({ budgetId: key.budgetId, scope: key.scope, fromDay: DAY, toDay: DAY }),
    ).toEqual([{ day: DAY, cost: COST }]);
  expect(
    await store.readDailySpend({ budgetId: C.budgetId, scope: C.scope, fromDay: DAY, toDay: DAY }),
  ).toEqual([]);
  const rollups = await store.queryRollups({ fromDay: DAY, toDay: DAY });
  expect(rollups.map((row) => [row.requests, row.cost, row.inputTokens])).toEqual([[1, COST, 100]]);
  await store.close();
}

async function expectChargedOnce(prefix: string, now: number) {
  await expectCountersChargedOnce(prefix, now);
  await expectReportsCountOnce(prefix);
}

/** Much later any store has finished everything: complete, no reservation left, still charged once. */
async function expectFinishedMuchLater(prefix: string) {
  const db = client.db(dbName);
  await storeOf(prefix).readCounters([A], MUCH_LATER);
  expect(
    await db
      .collection(`${prefix}usages`)
      .find({}, { projection: { complete: 1 } })
      .toArray(),
  ).toEqual([{ _id: 'q1', complete: true }]);
  expect(await db.collection(`${prefix}reservations`).countDocuments()).toBe(0);
  await expectChargedOnce(prefix, MUCH_LATER);
}

for (const scenario of SCENARIOS) {
  const withReservation = scenario.reserved.length > 0;
  describe(scenario.name, () => {
    it('makes its writes in the order the cuts assume', async () => {
      const { prefix, writes } = await cutCommit(scenario, scenario.writes.length);
      expect(writes).toEqual(scenario.writes);
      await expectChargedOnce(prefix, NOW);
    });

    for (const [name, cut] of scenario.cuts) {
      it(`cut off ${name}: the replay charges what is missing, once`, async () => {
        const { prefix, writes } = await cutCommit(scenario, cut);
        expect(writes).toEqual(scenario.writes.slice(0, cut));
        const replayed = await storeOf(prefix).commit(commitRequest(scenario, NOW + 1_000));
        expect(replayed).toEqual({
          recorded: false,
          counters: [
            { ...A, committed: COST, reserved: 0 },
            { ...B, committed: COST, reserved: 0 },
          ],
        });
        await expectChargedOnce(prefix, NOW + 1_000);
        await expectFinishedMuchLater(prefix);
      });

      if (withReservation) {
        it(`cut off ${name}, no replay: the reclaimer of the expired hold charges it, once`, async () => {
          const { prefix } = await cutCommit(scenario, cut);
          const store = storeOf(prefix);
          // Any later reserve on these counters reclaims the expired holds.
          const later = await store.reserve({
            reservationId: 'r2',
            amount: 1,
            counters: scenario.reserved.map(limit),
            leaseMs: LEASE_MS,
            now: NOW + LEASE_MS,
          });
          expect(later.ok).toBe(true);
          await store.release('r2', NOW + LEASE_MS);
          await store.close();
          await expectCountersChargedOnce(prefix, NOW + LEASE_MS);
          // Daily spend and rollups too, at the latest once the commit counts as abandoned.
          await expectFinishedMuchLater(prefix);
        });
      } else {
        it(`cut off ${name}, no replay: a later store finishes the abandoned commit`, async () => {
          const { prefix } = await cutCommit(scenario, cut);
          await expectFinishedMuchLater(prefix);
        });
      }
    }
  });
}

describe('markers', () => {
  it('a counter charged under its hold is not charged again, even once its marker is gone', async () => {
    const [scenario] = SCENARIOS;
    const { prefix } = await cutCommit(scenario!, 3);
    const db = client.db(dbName);
    // As if many later commits had pushed the marker out of both counters.
    await db.collection(`${prefix}counters`).updateMany({}, { $set: { applied: [] } });
    await storeOf(prefix).commit(commitRequest(scenario!, NOW + 1_000));
    await expectCountersChargedOnce(prefix, NOW + 1_000);
    await expectFinishedMuchLater(prefix);
  });

  it('a replay charges a usage whose hold was released after its commit was cut off', async () => {
    const [scenario] = SCENARIOS;
    const { prefix } = await cutCommit(scenario!, 1);
    // The caller gave the hold back when the settle failed; the usage buffer replays later.
    await storeOf(prefix).release('r1', NOW + 500);
    await storeOf(prefix).commit(commitRequest(scenario!, NOW + 1_000));
    await expectChargedOnce(prefix, NOW + 1_000);
    await expectFinishedMuchLater(prefix);
  });

  it('a replay charges a usage recorded just after a reclaimer looked for it and gave its hold back', async () => {
    const [scenario] = SCENARIOS;
    const { prefix } = await cutCommit(scenario!, 1);
    const usages = client.db(dbName).collection(`${prefix}usages`);
    // The reclaimer reads the usages before the cut-off commit's insert lands, then takes the holds back.
    const usage = await usages.findOneAndDelete({ _id: 'q1' as never });
    const store = storeOf(prefix);
    const later = await store.reserve({
      reservationId: 'r2',
      amount: 1,
      counters: scenario!.reserved.map(limit),
      leaseMs: LEASE_MS,
      now: NOW + LEASE_MS,
    });
    expect(later.ok).toBe(true);
    await store.release('r2', NOW + LEASE_MS);
    await usages.insertOne(usage!);
    await store.commit(commitRequest(scenario!, NOW + LEASE_MS + 1));
    await store.close();
    await expectChargedOnce(prefix, NOW + LEASE_MS + 1);
    await expectFinishedMuchLater(prefix);
  });

  it('a counter keeps the newest markers: an effect is applied once within them', async () => {
    stores += 1;
    const prefix = `cut${stores}_`;
    const db = client.db(dbName);
    const store = storeOf(prefix);
    const commits = APPLIED_MARKERS_KEPT + 10;
    const request = (index: number) => ({
      record: { ...record(`m${index}`), cost: 1 },
      counters: [{ ...A, day: DAY }],
      now: NOW,
    });
    for (let index = 0; index < commits; index++) await store.commit(request(index));
    const counter = await db.collection(`${prefix}counters`).findOne({});
    // FerretDB v1 ignores `$slice`: there every marker stays.
    const capped = process.env.MONGODB_TEST_SERVER !== 'ferretdb';
    if (capped)
      expect(counter!.applied).toEqual(
        Array.from(
          { length: APPLIED_MARKERS_KEPT },
          (_, index) => `m${commits - APPLIED_MARKERS_KEPT + index}`,
        ),
      );

    // As if the newest and the oldest commit had been cut off before they were marked complete.
    await db.collection(`${prefix}usages`).updateMany(
      { _id: { $in: ['m0', `m${commits - 1}`] } as never },
      {
        $set: { complete: false },
      },
    );
    expect((await store.commit(request(commits - 1))).recorded).toBe(false);
    expect(await store.readCounters([A], NOW)).toEqual([{ ...A, committed: commits, reserved: 0 }]);
    // The oldest one's marker is gone: finishing it again over-counts, never under-counts.
    await store.commit(request(0));
    expect(await store.readCounters([A], NOW)).toEqual([
      { ...A, committed: capped ? commits + 1 : commits, reserved: 0 },
    ]);
    await store.close();
  });
});
