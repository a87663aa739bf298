import assert from 'node:assert/strict';
import type { BudgetStore, CounterLimit } from '../store/store-contract';
import { charge, key, limit, record, reserveOn, T0 } from './conformance-fixtures';
import type { ConformanceTest } from './store-conformance-suite';

type WithStore = (fn: (store: BudgetStore) => Promise<void>) => () => Promise<void>;

/** `seedCounter` is optional in the contract; a store run through this suite must have it. */
function seed(store: BudgetStore, counter: CounterLimit, committed: number): Promise<boolean> {
  assert.ok(store.seedCounter, 'the store has no seedCounter (v2 optional, but checked by this suite)');
  return store.seedCounter(counter, committed, T0);
}

/** Store contract v2 (optional operation): a counter made with spend, for a budget new to the store. */
export function seedConformance(test: ConformanceTest, withStore: WithStore, timeout: number) {
  test(
    'seedCounter makes a counter that does not exist with its spend, which reserves then count',
    withStore(async (store) => {
      assert.equal(await seed(store, limit('a', 1_000), 700), true);
      assert.deepEqual(await store.readCounters([key('a')], T0), [
        { ...key('a'), committed: 700, reserved: 0 },
      ]);
      assert.deepEqual(
        (await store.listCounters({ budgetId: 'a', period: key('a').period, limit: 10, now: T0 })).map(
          (counter) => counter.committed,
        ),
        [700],
      );
      const reserve = (reservationId: string, amount: number) =>
        store.reserve({ reservationId, amount, counters: [limit('a', 1_000)], leaseMs: 60_000, now: T0 });
      assert.equal((await reserve('too-much', 301)).ok, false);
      assert.equal((await reserve('fits', 300)).ok, true);
    }),
    timeout,
  );

  test(
    'seedCounter leaves a counter that exists as it is: charged, reserved or made before',
    withStore(async (store) => {
      await store.commit({ record: record('r-1', 50), counters: [charge('a')], now: T0 });
      await reserveOn(store, 'held', 20, [key('b')]);
      assert.equal(await seed(store, limit('c', 1_000), 30), true);
      assert.equal(await seed(store, limit('a', 1_000), 900), false);
      assert.equal(await seed(store, limit('b', 1_000), 900), false);
      assert.equal(await seed(store, limit('c', 1_000), 900), false);
      assert.deepEqual(await store.readCounters([key('a'), key('b'), key('c')], T0), [
        { ...key('a'), committed: 50, reserved: 0 },
        { ...key('b'), committed: 0, reserved: 20 },
        { ...key('c'), committed: 30, reserved: 0 },
      ]);
    }),
    timeout,
  );

  test(
    'seedCounter from many instances at once makes the counter once',
    withStore(async (store) => {
      const made = await Promise.all(
        [100, 200, 300, 400, 500].map((amount) => seed(store, limit('a', 1_000), amount)),
      );
      assert.equal(made.filter(Boolean).length, 1);
      const [counter] = await store.readCounters([key('a')], T0);
      assert.equal(counter!.committed, [100, 200, 300, 400, 500][made.indexOf(true)]);
    }),
    timeout,
  );
}
