import { MongoClient } from 'mongodb';
import { afterAll, expect, it } from 'vitest';
import { MongoStore } from './mongo-store';
import { testServerUri, uniqueName } from './testing/test-database';

// Holds whose lease passed are reclaimed by whoever touches the counter next, exactly once,
// including holds a crashed process left in the middle of a reservation.

const NOW = Date.UTC(2026, 10, 29, 12);
const A = { budgetId: 'a', scope: 'global', period: 'month:2026-11' };
const B = { budgetId: 'b', scope: 'global', period: 'month:2026-11' };
const limit = (key: typeof A) => ({ ...key, capacity: 10_000, periodEnd: NOW + 86_400_000 });
const client = new MongoClient(testServerUri());
const dbName = uniqueName('lease');
let stores = 0;

afterAll(async () => {
  await client.db(dbName).dropDatabase();
  await client.close();
});

function makeStore(prefix = `lease${++stores}_`, options: { client?: MongoClient } = {}) {
  return {
    store: new MongoStore({ client: options.client ?? client, dbName, collectionPrefix: prefix }),
    prefix,
  };
}

it('reclaims a hold left by a process that stopped between two counters, without touching the other', async () => {
  const { store, prefix } = makeStore();
  const db = client.db(dbName);
  await store.readCounters([A, B], NOW);
  // What a crash right after taking counter A leaves: the reservation names A and B, only A holds it.
  await db.collection(`${prefix}reservations`).insertOne({
    _id: 'crashed' as never,
    amount: 700,
    expiresAt: NOW + 1_000,
    counterIds: ['a|global|month:2026-11', 'b|global|month:2026-11'],
  });
  await store.reserve({
    reservationId: 'live',
    amount: 100,
    counters: [limit(A), limit(B)],
    leaseMs: 60_000,
    now: NOW,
  });
  await db.collection(`${prefix}counters`).updateOne(
    { _id: 'a|global|month:2026-11' as never },
    {
      $push: { holds: { id: 'crashed', amount: 700, expiresAt: NOW + 1_000 } } as never,
      $inc: { reserved: 700, used: 700 },
    },
  );
  expect((await store.readCounters([A, B], NOW)).map((state) => state.reserved)).toEqual([800, 100]);

  expect((await store.readCounters([A, B], NOW + 1_000)).map((state) => state.reserved)).toEqual([100, 100]);
  await store.release('crashed', NOW + 1_000);
  const counters = await db
    .collection(`${prefix}counters`)
    .find({}, { sort: { _id: 1 } })
    .toArray();
  expect(
    counters.map((counter) => [Number(counter.reserved), Number(counter.used), counter.holds.length]),
  ).toEqual([
    [100, 100, 1],
    [100, 100, 1],
  ]);
  expect(await db.collection(`${prefix}reservations`).countDocuments({ _id: 'crashed' as never })).toBe(0);
  await store.close();
});

it('gives each expired hold back once when many instances reclaim at the same time', async () => {
  const { store, prefix } = makeStore();
  for (let index = 0; index < 6; index++) {
    await store.reserve({
      reservationId: `r${index}`,
      amount: 1_000,
      counters: [limit(A)],
      leaseMs: index === 5 ? 60_000 : 1_000,
      now: NOW,
    });
  }
  const clients = Array.from({ length: 4 }, () => new MongoClient(testServerUri()));
  try {
    const instances = clients.map((other) => makeStore(prefix, { client: other }).store);
    const later = NOW + 2_000;
    const reads = await Promise.all(
      instances.flatMap((instance) => [
        instance.readCounters([A], later),
        instance.readCounters([A], later),
        instance.release('r0', later),
      ]),
    );
    for (const read of reads) if (read) expect(read).toEqual([{ ...A, committed: 0, reserved: 1_000 }]);
    const counter = await client.db(dbName).collection(`${prefix}counters`).findOne({});
    expect([Number(counter!.reserved), Number(counter!.used)]).toEqual([1_000, 1_000]);
    expect(counter!.holds.map((hold: { id: string }) => hold.id)).toEqual(['r5']);
    await Promise.all(instances.map((instance) => instance.close()));
  } finally {
    await Promise.all(clients.map((other) => other.close()));
  }
  await store.close();
});

it('refuses while a live hold is in the way and admits once its lease passed', async () => {
  const { store } = makeStore();
  const first = await store.reserve({
    reservationId: 'r1',
    amount: 9_000,
    counters: [limit(A)],
    leaseMs: 1_000,
    now: NOW,
  });
  expect(first.ok).toBe(true);
  const refused = await store.reserve({
    reservationId: 'r2',
    amount: 2_000,
    counters: [limit(A)],
    leaseMs: 1_000,
    now: NOW + 999,
  });
  expect(refused).toEqual({ ok: false, refusedBy: A, available: 1_000 });
  const admitted = await store.reserve({
    reservationId: 'r3',
    amount: 2_000,
    counters: [limit(A)],
    leaseMs: 1_000,
    now: NOW + 1_000,
  });
  expect(admitted).toMatchObject({ ok: true, counters: [{ ...A, committed: 0, reserved: 2_000 }] });
  await store.close();
});

it('a reservation asked for twice is held once', async () => {
  const { store } = makeStore();
  const request = {
    reservationId: 'twice',
    amount: 4_000,
    counters: [limit(A), limit(B)],
    leaseMs: 60_000,
    now: NOW,
  };
  const [first, second] = await Promise.all([store.reserve(request), store.reserve(request)]);
  expect(first.ok && second.ok).toBe(true);
  expect((await store.readCounters([A, B], NOW)).map((state) => state.reserved)).toEqual([4_000, 4_000]);
  await store.close();
});
