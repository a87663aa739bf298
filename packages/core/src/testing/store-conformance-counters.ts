import assert from 'node:assert/strict';
import type { BudgetStore, CounterCharge } from '../store/store-contract';
import { DAY, record, T0 } from './conformance-fixtures';
import type { ConformanceTest } from './store-conformance-suite';

type WithStore = (fn: (store: BudgetStore) => Promise<void>) => () => Promise<void>;

const PERIOD = `day:${DAY}`;

function userCharge(user: string, overrides: Partial<CounterCharge> = {}): CounterCharge {
  return { budgetId: 'per-user', scope: `user:${user}`, period: PERIOD, day: DAY, ...overrides };
}

/** Store contract v2: every scope value of a budget with spend in a period, a page at a time. */
export function counterListConformance(test: ConformanceTest, withStore: WithStore, timeout: number) {
  test(
    'listCounters pages through the counters of one budget and period with spend, in scope order',
    withStore(async (store) => {
      // Committed in an order unlike the scope order.
      for (const [index, user] of ['u-4', 'u-1', 'u-5', 'u-3', 'u-2'].entries())
        await store.commit({
          record: record(`q${index}`, 10 * (index + 1)),
          counters: [userCharge(user)],
          now: T0,
        });
      // Other budgets and periods, and a counter with a hold but no spend, are not listed.
      await store.commit({
        record: record('other-budget', 7),
        counters: [userCharge('u-9', { budgetId: 'team' })],
        now: T0,
      });
      await store.commit({
        record: record('other-period', 7),
        counters: [userCharge('u-9', { period: 'day:2026-11-28', day: '2026-11-28' })],
        now: T0,
      });
      const held = {
        budgetId: 'per-user',
        scope: 'user:u-0',
        period: PERIOD,
        capacity: 1_000,
        periodEnd: T0 + 86_400_000,
      };
      await store.reserve({ reservationId: 'r0', amount: 100, counters: [held], leaseMs: 60_000, now: T0 });
      await store.reserve({
        reservationId: 'r1',
        amount: 30,
        counters: [{ ...held, scope: 'user:u-1' }],
        leaseMs: 60_000,
        now: T0,
      });

      const query = { budgetId: 'per-user', period: PERIOD, now: T0 };
      const first = await store.listCounters({ ...query, limit: 2 });
      assert.deepEqual(first, [
        { budgetId: 'per-user', scope: 'user:u-1', period: PERIOD, committed: 20, reserved: 30 },
        { budgetId: 'per-user', scope: 'user:u-2', period: PERIOD, committed: 50, reserved: 0 },
      ]);
      const second = await store.listCounters({ ...query, limit: 2, afterScope: 'user:u-2' });
      assert.deepEqual(
        second.map((state) => [state.scope, state.committed]),
        [
          ['user:u-3', 40],
          ['user:u-4', 10],
        ],
      );
      const third = await store.listCounters({ ...query, limit: 2, afterScope: 'user:u-4' });
      assert.deepEqual(
        third.map((state) => [state.scope, state.committed]),
        [['user:u-5', 30]],
      );
      assert.deepEqual(await store.listCounters({ ...query, limit: 2, afterScope: 'user:u-5' }), []);
      // Once the lease passed, the hold no longer counts.
      const later = await store.listCounters({ ...query, limit: 1, now: T0 + 60_000 });
      assert.deepEqual(
        later.map((state) => [state.scope, state.reserved]),
        [['user:u-1', 0]],
      );
    }),
    timeout,
  );

  test(
    'listCounters of a budget with no spend is empty',
    withStore(async (store) => {
      assert.deepEqual(
        await store.listCounters({ budgetId: 'per-user', period: PERIOD, limit: 10, now: T0 }),
        [],
      );
    }),
    timeout,
  );
}
