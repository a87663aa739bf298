import { MongoClient } from 'mongodb';
import { afterAll, expect, it } from 'vitest';
import { MongoStore } from './mongo-store';
import { testServerUri, uniqueName } from './testing/test-database';

// A reserve takes its hold with a conditional update; when the update misses and the counter,
// read again, shows the amount fits, another instance wrote the counter in between and the
// update is tried again. It was tried at most 5 times in all, then refused with what it had
// just read as available: a refusal of a call that fits (`available ≥ amount`).

const NOW = Date.UTC(2026, 10, 29, 12);
const COUNTER = {
  budgetId: 'shared',
  scope: 'global',
  period: 'month:2026-11',
  capacity: 1_000,
  periodEnd: NOW + 86_400_000,
};
const AMOUNT = 100;
const INSTANCES = 4;
const LOOPS = 40;
const RESERVES_PER_LOOP = 150;
const dbName = uniqueName('contended');
const clients = Array.from({ length: INSTANCES }, () => new MongoClient(testServerUri()));

afterAll(async () => {
  await clients[0]!.db(dbName).dropDatabase();
  await Promise.all(clients.map((client) => client.close()));
});

it(`${INSTANCES} instances × ${LOOPS} loops reserving and releasing on one counter: a reservation is refused only when it does not fit`, async () => {
  const stores = clients.map((client) => new MongoStore({ client, dbName }));
  const refusals: number[] = [];
  let admitted = 0;
  await Promise.all(
    Array.from({ length: LOOPS }, async (_, loop) => {
      const store = stores[loop % INSTANCES]!;
      for (let index = 0; index < RESERVES_PER_LOOP; index++) {
        const reservationId = `r-${loop}-${index}`;
        const result = await store.reserve({
          reservationId,
          amount: AMOUNT,
          counters: [COUNTER],
          leaseMs: 600_000,
          now: NOW,
        });
        if (!result.ok) {
          refusals.push(result.available);
          continue;
        }
        admitted += 1;
        await store.release(reservationId, NOW);
      }
    }),
  );
  // Ten holds fit at once and forty loops ask: both outcomes happen many times.
  expect(admitted).toBeGreaterThan(0);
  expect(refusals.length).toBeGreaterThan(0);
  expect(refusals.filter((available) => available >= AMOUNT)).toEqual([]);
  await Promise.all(stores.map((store) => store.close()));
});
