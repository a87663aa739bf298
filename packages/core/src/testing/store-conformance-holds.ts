import assert from 'node:assert/strict';
import type { BudgetStore, CounterKey, HoldState } from '../store/store-contract';
import { charge, key, LEASE_MS, record, reserveOn, T0 } from './conformance-fixtures';
import type { ConformanceTest } from './store-conformance-suite';

type WithStore = (fn: (store: BudgetStore) => Promise<void>) => () => Promise<void>;

/** `readHolds` is optional in the contract; a store run through this suite must have it. */
function readHolds(store: BudgetStore, counter: CounterKey, now: number): Promise<HoldState[]> {
  assert.ok(store.readHolds, 'the store has no readHolds (v2 optional, but checked by this suite)');
  return store.readHolds(counter, now);
}

/** Store contract v2 (optional operation): the holds on one counter, as leases per instance read them. */
export function holdsConformance(test: ConformanceTest, withStore: WithStore, timeout: number) {
  test(
    'readHolds lists the holds on a counter with their amounts and lease ends, in reservation id order',
    withStore(async (store) => {
      // Taken in an order unlike the id order, with different leases.
      await reserveOn(store, 'lease~i-2~1', 200, [key('a')]);
      await reserveOn(store, 'lease~i-1~2', 50, [key('a')], { now: T0 + 2_000, leaseMs: 10_000 });
      await reserveOn(store, 'lease~i-1~1', 100, [key('a')], { now: T0 + 1_000, leaseMs: 30_000 });
      assert.deepEqual(await readHolds(store, key('a'), T0 + 2_000), [
        { reservationId: 'lease~i-1~1', amount: 100, expiresAt: T0 + 31_000 },
        { reservationId: 'lease~i-1~2', amount: 50, expiresAt: T0 + 12_000 },
        { reservationId: 'lease~i-2~1', amount: 200, expiresAt: T0 + LEASE_MS },
      ]);
      // The holds add up to what the counter reports as reserved.
      assert.equal((await store.readCounters([key('a')], T0 + 2_000))[0]!.reserved, 350);
    }),
    timeout,
  );

  test(
    'readHolds lists a reservation over two counters on both, and a hold on another counter on neither',
    withStore(async (store) => {
      const otherScope = { ...key('a'), scope: 'user:u-2' };
      const otherPeriod = { ...key('a'), period: 'month:2026-12' };
      await reserveOn(store, 'both', 300, [key('a'), key('b')]);
      await reserveOn(store, 'only-b', 40, [key('b')]);
      await reserveOn(store, 'other-scope', 10, [otherScope]);
      await reserveOn(store, 'other-period', 20, [otherPeriod]);
      const both = { reservationId: 'both', amount: 300, expiresAt: T0 + LEASE_MS };
      assert.deepEqual(await readHolds(store, key('a'), T0), [both]);
      assert.deepEqual(await readHolds(store, key('b'), T0), [
        both,
        { reservationId: 'only-b', amount: 40, expiresAt: T0 + LEASE_MS },
      ]);
      assert.deepEqual(
        (await readHolds(store, otherScope, T0)).map((hold) => hold.reservationId),
        ['other-scope'],
      );
      assert.deepEqual(
        (await readHolds(store, otherPeriod, T0)).map((hold) => hold.reservationId),
        ['other-period'],
      );
    }),
    timeout,
  );

  test(
    'readHolds no longer lists a committed or released reservation',
    withStore(async (store) => {
      await reserveOn(store, 'committed', 100, [key('a')]);
      await reserveOn(store, 'released', 200, [key('a')]);
      await reserveOn(store, 'kept', 300, [key('a')]);
      // Charged on one of its two counters: its hold goes from both.
      await reserveOn(store, 'committed-on-one', 400, [key('a'), key('b')]);
      await store.commit({
        reservationId: 'committed',
        record: record('q1', 90),
        counters: [charge('a')],
        now: T0,
      });
      await store.commit({
        reservationId: 'committed-on-one',
        record: record('q2', 350),
        counters: [charge('a')],
        now: T0,
      });
      await store.release('released', T0);
      assert.deepEqual(await readHolds(store, key('a'), T0), [
        { reservationId: 'kept', amount: 300, expiresAt: T0 + LEASE_MS },
      ]);
      assert.deepEqual(await readHolds(store, key('b'), T0), []);
    }),
    timeout,
  );

  test(
    'readHolds does not list a hold whose lease has passed',
    withStore(async (store) => {
      await reserveOn(store, 'short', 100, [key('a')], { leaseMs: 1_000 });
      await reserveOn(store, 'long', 200, [key('a')]);
      assert.deepEqual(
        (await readHolds(store, key('a'), T0 + 999)).map((hold) => hold.reservationId),
        ['long', 'short'],
      );
      assert.deepEqual(await readHolds(store, key('a'), T0 + 1_000), [
        { reservationId: 'long', amount: 200, expiresAt: T0 + LEASE_MS },
      ]);
      assert.deepEqual(await readHolds(store, key('a'), T0 + LEASE_MS), []);
    }),
    timeout,
  );

  test(
    'readHolds of a counter never touched, or with spend and no hold, is empty',
    withStore(async (store) => {
      assert.deepEqual(await readHolds(store, key('never'), T0), []);
      await store.commit({ record: record('q1', 70), counters: [charge('a')], now: T0 });
      assert.deepEqual(await readHolds(store, key('a'), T0), []);
    }),
    timeout,
  );
}
