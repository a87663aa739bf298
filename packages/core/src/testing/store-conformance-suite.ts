import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { BudgetStore } from '../store/store-contract';
import { charge, DAY, key, limit, record, T0 } from './conformance-fixtures';
import { budgetDefinitionConformance } from './store-conformance-budgets';
import { counterListConformance } from './store-conformance-counters';
import { holdsConformance } from './store-conformance-holds';
import { seedConformance } from './store-conformance-seed';
import { recordPagesConformance } from './store-conformance-records';

/** The test function the conformance suite registers its cases with (vitest's `it`, for example). */
export type ConformanceTest = (name: string, fn: () => Promise<void>, timeout?: number) => void;

/** Which parts of the conformance suite run, how hard, and how long each case may take. */
export interface ConformanceOptions {
  /** Run the concurrency properties (skip only for servers without atomic conditional updates). Default true. */
  concurrency?: boolean;
  /** Interleavings explored by the concurrency property. Default 1,000. */
  interleavings?: number;
  /** Per-test timeout in ms. Default 120,000. */
  timeout?: number;
}

/**
 * The behaviour every `BudgetStore` must have, as tests any runner can run:
 * `storeConformanceSuite(it, async () => new MyStore(...))`. `makeStore` must return
 * a fresh, empty store each time.
 */
export function storeConformanceSuite(
  test: ConformanceTest,
  makeStore: () => Promise<BudgetStore>,
  options: ConformanceOptions = {},
): void {
  const timeout = options.timeout ?? 120_000;
  const withStore = (fn: (store: BudgetStore) => Promise<void>) => async () => {
    const store = await makeStore();
    try {
      await fn(store);
    } finally {
      await store.close();
    }
  };

  test(
    'reports the v2 contract',
    withStore(async (store) => {
      assert.equal(store.specificationVersion, 'v2');
    }),
    timeout,
  );

  test(
    'reserve holds the amount on every counter',
    withStore(async (store) => {
      const result = await store.reserve({
        reservationId: 'r1',
        amount: 300,
        counters: [limit('a', 1000), limit('b', 500)],
        leaseMs: 60_000,
        now: T0,
      });
      assert.equal(result.ok, true);
      assert.ok(
        result.ok && result.counters.every((state) => state.reserved === 300 && state.committed === 0),
      );
      const states = await store.readCounters([key('a'), key('b')], T0);
      assert.deepEqual(
        states.map((s) => [s.committed, s.reserved]),
        [
          [0, 300],
          [0, 300],
        ],
      );
    }),
    timeout,
  );

  test(
    'reserve is all or nothing across counters',
    withStore(async (store) => {
      const result = await store.reserve({
        reservationId: 'r1',
        amount: 600,
        counters: [limit('a', 1000), limit('b', 500)],
        leaseMs: 60_000,
        now: T0,
      });
      assert.equal(result.ok, false);
      assert.ok(!result.ok && result.refusedBy.budgetId === 'b' && result.available === 500);
      const states = await store.readCounters([key('a'), key('b')], T0);
      assert.deepEqual(
        states.map((s) => s.reserved),
        [0, 0],
      );
    }),
    timeout,
  );

  test(
    'an exact fit is accepted and one more nano-USD is refused',
    withStore(async (store) => {
      assert.equal(
        (
          await store.reserve({
            reservationId: 'r1',
            amount: 400,
            counters: [limit('a', 1000)],
            leaseMs: 60_000,
            now: T0,
          })
        ).ok,
        true,
      );
      assert.equal(
        (
          await store.reserve({
            reservationId: 'r2',
            amount: 600,
            counters: [limit('a', 1000)],
            leaseMs: 60_000,
            now: T0,
          })
        ).ok,
        true,
      );
      const refused = await store.reserve({
        reservationId: 'r3',
        amount: 1,
        counters: [limit('a', 1000)],
        leaseMs: 60_000,
        now: T0,
      });
      assert.ok(!refused.ok && refused.available === 0);
    }),
    timeout,
  );

  test(
    'commit charges every counter, releases the reservation and returns the new states',
    withStore(async (store) => {
      await store.reserve({
        reservationId: 'r1',
        amount: 300,
        counters: [limit('a', 1000), limit('b', 1000)],
        leaseMs: 60_000,
        now: T0,
      });
      const result = await store.commit({
        reservationId: 'r1',
        record: record('q1', 120),
        counters: [charge('a'), charge('b')],
        now: T0,
      });
      assert.equal(result.recorded, true);
      assert.deepEqual(
        result.counters.map((s) => [s.committed, s.reserved]),
        [
          [120, 0],
          [120, 0],
        ],
      );
      assert.deepEqual(
        (await store.readCounters([key('a'), key('b')], T0)).map((s) => [s.committed, s.reserved]),
        [
          [120, 0],
          [120, 0],
        ],
      );
      assert.deepEqual(await store.getRecord('q1'), record('q1', 120));
    }),
    timeout,
  );

  test(
    'commit without a reservation records and charges',
    withStore(async (store) => {
      const result = await store.commit({ record: record('q1', 70), counters: [charge('a')], now: T0 });
      assert.equal(result.recorded, true);
      assert.equal((await store.readCounters([key('a')], T0))[0]!.committed, 70);
    }),
    timeout,
  );

  test(
    'the same record delivered 1–5 times is one record and one charge',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 5 }),
          fc.integer({ min: 1, max: 10_000 }),
          fc.boolean(),
          async (deliveries, cost, reserved) => {
            const store = await makeStore();
            try {
              if (reserved)
                await store.reserve({
                  reservationId: 'r1',
                  amount: cost,
                  counters: [limit('a', 1_000_000)],
                  leaseMs: 60_000,
                  now: T0,
                });
              const outcomes: boolean[] = [];
              for (let i = 0; i < deliveries; i++) {
                const result = await store.commit({
                  ...(reserved ? { reservationId: 'r1' } : {}),
                  record: record('dup', cost),
                  counters: [charge('a')],
                  now: T0,
                });
                outcomes.push(result.recorded);
              }
              assert.deepEqual(outcomes, [true, ...Array(deliveries - 1).fill(false)]);
              const [state] = await store.readCounters([key('a')], T0);
              assert.equal(state!.committed, cost);
              assert.equal(state!.reserved, 0);
              const rows = await store.queryRollups({ fromDay: DAY, toDay: DAY });
              assert.equal(
                rows.reduce((sum, row) => sum + row.requests, 0),
                1,
              );
            } finally {
              await store.close();
            }
          },
        ),
        { numRuns: 20 },
      );
    },
    timeout,
  );

  test(
    'release frees the hold; releasing again or an unknown id is a no-op',
    withStore(async (store) => {
      await store.reserve({
        reservationId: 'r1',
        amount: 300,
        counters: [limit('a', 1000)],
        leaseMs: 60_000,
        now: T0,
      });
      await store.release('r1', T0);
      await store.release('r1', T0);
      await store.release('never-reserved', T0);
      assert.deepEqual(
        (await store.readCounters([key('a')], T0)).map((s) => [s.committed, s.reserved]),
        [[0, 0]],
      );
      assert.equal(
        (
          await store.reserve({
            reservationId: 'r2',
            amount: 1000,
            counters: [limit('a', 1000)],
            leaseMs: 60_000,
            now: T0,
          })
        ).ok,
        true,
      );
    }),
    timeout,
  );

  test(
    'an expired reservation stops counting and its budget can be reserved again',
    withStore(async (store) => {
      await store.reserve({
        reservationId: 'r1',
        amount: 800,
        counters: [limit('a', 1000)],
        leaseMs: 1_000,
        now: T0,
      });
      assert.equal(
        (
          await store.reserve({
            reservationId: 'r2',
            amount: 800,
            counters: [limit('a', 1000)],
            leaseMs: 1_000,
            now: T0 + 999,
          })
        ).ok,
        false,
      );
      assert.equal((await store.readCounters([key('a')], T0 + 1_000))[0]!.reserved, 0);
      assert.equal(
        (
          await store.reserve({
            reservationId: 'r3',
            amount: 1000,
            counters: [limit('a', 1000)],
            leaseMs: 1_000,
            now: T0 + 1_000,
          })
        ).ok,
        true,
      );
    }),
    timeout,
  );

  test(
    'a commit after the lease passed still records the real cost',
    withStore(async (store) => {
      await store.reserve({
        reservationId: 'r1',
        amount: 500,
        counters: [limit('a', 1000)],
        leaseMs: 1_000,
        now: T0,
      });
      await store.reserve({
        reservationId: 'r2',
        amount: 900,
        counters: [limit('a', 1000)],
        leaseMs: 60_000,
        now: T0 + 2_000,
      });
      const result = await store.commit({
        reservationId: 'r1',
        record: record('late', 400),
        counters: [charge('a')],
        now: T0 + 3_000,
      });
      assert.equal(result.recorded, true);
      const [state] = await store.readCounters([key('a')], T0 + 3_000);
      assert.deepEqual([state!.committed, state!.reserved], [400, 900]);
    }),
    timeout,
  );

  test(
    'periods and scopes are separate counters',
    withStore(async (store) => {
      const november = limit('a', 1000);
      const december = { ...limit('a', 1000), period: 'month:2026-12' };
      const otherUser = { ...limit('a', 1000), scope: 'user:u-2' };
      assert.equal(
        (
          await store.reserve({
            reservationId: 'r1',
            amount: 1000,
            counters: [november],
            leaseMs: 60_000,
            now: T0,
          })
        ).ok,
        true,
      );
      assert.equal(
        (
          await store.reserve({
            reservationId: 'r2',
            amount: 1000,
            counters: [december],
            leaseMs: 60_000,
            now: T0,
          })
        ).ok,
        true,
      );
      assert.equal(
        (
          await store.reserve({
            reservationId: 'r3',
            amount: 1000,
            counters: [otherUser],
            leaseMs: 60_000,
            now: T0,
          })
        ).ok,
        true,
      );
      assert.equal(
        (
          await store.reserve({
            reservationId: 'r4',
            amount: 1,
            counters: [november],
            leaseMs: 60_000,
            now: T0,
          })
        ).ok,
        false,
      );
    }),
    timeout,
  );

  test(
    'rollups sum records by day and dimensions, with filters and day ranges',
    withStore(async (store) => {
      await store.commit({
        record: record('q1', 100, { model: 'gpt-4o', userId: 'u-1' }),
        counters: [charge('a')],
        now: T0,
      });
      await store.commit({
        record: record('q2', 250, { model: 'gpt-4o', userId: 'u-1' }),
        counters: [charge('a')],
        now: T0,
      });
      await store.commit({
        record: record('q3', 40, { model: 'gpt-4o-mini', userId: 'u-2', estimated: true }),
        counters: [charge('a')],
        now: T0,
      });
      await store.commit({
        record: record('q4', 7, { day: '2026-11-28' }),
        counters: [{ ...charge('a'), day: '2026-11-28' }],
        now: T0,
      });
      const today = await store.queryRollups({ fromDay: DAY, toDay: DAY });
      const byModel = Object.fromEntries(
        today.map((row) => [
          `${row.model}/${row.userId}`,
          [row.cost, row.requests, row.inputTokens, row.estimatedRequests],
        ]),
      );
      assert.deepEqual(byModel, { 'gpt-4o/u-1': [350, 2, 2000, 0], 'gpt-4o-mini/u-2': [40, 1, 1000, 1] });
      const filtered = await store.queryRollups({
        fromDay: '2026-11-01',
        toDay: DAY,
        where: { userId: 'u-2' },
      });
      assert.deepEqual(
        filtered.map((row) => row.cost),
        [40],
      );
      const both = await store.queryRollups({ fromDay: '2026-11-28', toDay: DAY });
      assert.equal(
        both.reduce((sum, row) => sum + row.cost, 0),
        397,
      );
      assert.deepEqual(
        await store.readDailySpend({ budgetId: 'a', scope: 'global', fromDay: '2026-11-01', toDay: DAY }),
        [
          { day: '2026-11-28', cost: 7 },
          { day: DAY, cost: 390 },
        ],
      );
    }),
    timeout,
  );

  test(
    'an unknown record is undefined and close is idempotent',
    async () => {
      const store = await makeStore();
      assert.equal(await store.getRecord('missing'), undefined);
      await store.close();
      await store.close();
    },
    timeout,
  );

  budgetDefinitionConformance(test, withStore, timeout);
  counterListConformance(test, withStore, timeout);
  holdsConformance(test, withStore, timeout);
  seedConformance(test, withStore, timeout);
  recordPagesConformance(test, withStore, makeStore, timeout);

  if (options.concurrency !== false) {
    test(
      'concurrent reserves, commits and releases never exceed a limit',
      async () => {
        const capacity = 1_000;
        let store: BudgetStore | undefined;
        await fc.assert(
          fc
            .asyncProperty(
              fc.scheduler(),
              fc.array(
                fc.record({
                  amount: fc.integer({ min: 1, max: 400 }),
                  outcome: fc.constantFrom('commit', 'release', 'overrun'),
                }),
                { minLength: 2, maxLength: 8 },
              ),
              async (scheduler, calls) => {
                const run = `${Math.random().toString(36).slice(2)}`;
                const counters = [limit(`c${run}`, capacity), limit(`d${run}`, capacity * 2)];
                const charges = counters.map((c) => ({
                  budgetId: c.budgetId,
                  scope: c.scope,
                  period: c.period,
                  day: DAY,
                }));
                let admittedCost = 0;
                const tasks = calls.map((call, index) =>
                  scheduler.schedule(Promise.resolve(index)).then(async () => {
                    const reservationId = `${run}-${index}`;
                    const reserved = await store!.reserve({
                      reservationId,
                      amount: call.amount,
                      counters,
                      leaseMs: 60_000,
                      now: T0,
                    });
                    if (!reserved.ok) return;
                    for (const state of reserved.counters)
                      assert.ok(
                        state.committed + state.reserved <=
                          (state.budgetId.startsWith('c') ? capacity : capacity * 2),
                      );
                    await scheduler.schedule(Promise.resolve());
                    if (call.outcome === 'release') return store!.release(reservationId, T0);
                    const cost = call.outcome === 'commit' ? call.amount : Math.max(1, call.amount - 1);
                    admittedCost += cost;
                    await store!.commit({
                      reservationId,
                      record: record(reservationId, cost),
                      counters: charges,
                      now: T0,
                    });
                  }),
                );
                await scheduler.waitFor(Promise.all(tasks));
                const [state] = await store!.readCounters([counters[0]!], T0);
                assert.ok(state!.committed <= capacity, `committed ${state!.committed} exceeds ${capacity}`);
                assert.equal(state!.committed, admittedCost);
                assert.equal(state!.reserved, 0);
              },
            )
            .beforeEach(async () => {
              store ??= await makeStore();
            }),
          { numRuns: options.interleavings ?? 1_000 },
        );
        await store?.close();
      },
      Math.max(timeout, 300_000),
    );

    test(
      'a burst of parallel reserves admits exactly what fits',
      withStore(async (store) => {
        const results = await Promise.all(
          Array.from({ length: 100 }, (_, index) =>
            store.reserve({
              reservationId: `p${index}`,
              amount: 25,
              counters: [limit('a', 1000)],
              leaseMs: 60_000,
              now: T0,
            }),
          ),
        );
        assert.equal(results.filter((result) => result.ok).length, 40);
        assert.equal((await store.readCounters([key('a')], T0))[0]!.reserved, 1000);
      }),
      timeout,
    );
  }
}
