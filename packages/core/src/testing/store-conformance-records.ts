import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareRecordPositions } from '../store/record-timeline';
import {
  type BudgetStore,
  MAX_RAW_USAGE_LENGTH,
  type RecordQuery,
  type UsageRecord,
} from '../store/store-contract';
import { charge, DAY, record, T0 } from './conformance-fixtures';
import type { ConformanceTest } from './store-conformance-suite';

type WithStore = (fn: (store: BudgetStore) => Promise<void>) => () => Promise<void>;

/** Every page of a query, each starting after the last record of the one before. */
async function readAll(store: BudgetStore, query: Omit<RecordQuery, 'after'>): Promise<UsageRecord[][]> {
  const pages: UsageRecord[][] = [];
  let after: RecordQuery['after'];
  for (;;) {
    const page = await store.readRecords({ ...query, ...(after ? { after } : {}) });
    assert.ok(page.length <= query.limit, `a page of ${page.length} records for a limit of ${query.limit}`);
    if (page.length === 0) return pages;
    pages.push(page);
    const last = page[page.length - 1]!;
    after = { timestamp: last.timestamp, requestId: last.requestId };
  }
}

/** Store contract v2: records as called, and read in time order a page at a time. */
export function recordPagesConformance(
  test: ConformanceTest,
  withStore: WithStore,
  makeStore: () => Promise<BudgetStore>,
  timeout: number,
) {
  test(
    'a record keeps the model as called, the model that served it and the catalog id it was priced with',
    withStore(async (store) => {
      const called = record('q1', 100, {
        model: 'gpt-4o',
        servedModel: 'gpt-4o-2024-08-06',
        catalogModel: 'gpt-4o',
        userId: 'u-1',
        projectId: 'p|1',
        tags: ['beta', 'eu'],
      });
      const dated = record('q2', 50, {
        model: 'claude-3-5-haiku-20241022',
        catalogModel: 'claude-3-5-haiku-latest',
      });
      await store.commit({ record: called, counters: [charge('a')], now: T0 });
      await store.commit({ record: dated, counters: [charge('a')], now: T0 });
      assert.deepEqual(await store.getRecord('q1'), called);
      assert.deepEqual(await store.getRecord('q2'), dated);
      assert.deepEqual(await store.readRecords({ limit: 10 }), [called, dated]);
    }),
    timeout,
  );

  test(
    'a record keeps the untrusted usage block it was rebuilt from, as given, up to its bound',
    withStore(async (store) => {
      const rebuilt = record('q1', 100, {
        estimated: true,
        rawUsage: '{"prompt_tokens":"abc","completion_tokens":"Infinity","note":"$set ünïcode…"}',
      });
      const longest = record('q2', 50, {
        estimated: true,
        rawUsage: `${'x'.repeat(MAX_RAW_USAGE_LENGTH - 1)}…`,
      });
      await store.commit({ record: rebuilt, counters: [charge('a')], now: T0 });
      await store.commit({ record: longest, counters: [charge('a')], now: T0 });
      assert.deepEqual(await store.getRecord('q1'), rebuilt);
      assert.deepEqual(await store.getRecord('q2'), longest);
      assert.deepEqual(await store.readRecords({ limit: 10 }), [rebuilt, longest]);
    }),
    timeout,
  );

  test(
    'rollups group by the model as called, with the catalog id as a dimension of its own',
    withStore(async (store) => {
      const calls = [
        record('q1', 100, { model: 'gpt-4o-2024-08-06', catalogModel: 'gpt-4o' }),
        record('q2', 30, { model: 'gpt-4o', catalogModel: 'gpt-4o' }),
        record('q3', 5, { model: 'gpt-4o-2024-08-06', catalogModel: 'gpt-4o' }),
      ];
      for (const call of calls) await store.commit({ record: call, counters: [charge('a')], now: T0 });
      const rows = await store.queryRollups({ fromDay: DAY, toDay: DAY });
      assert.deepEqual(
        rows
          .map((row) => [row.model, row.catalogModel, row.cost, row.requests])
          .sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
        [
          ['gpt-4o', 'gpt-4o', 30, 1],
          ['gpt-4o-2024-08-06', 'gpt-4o', 105, 2],
        ],
      );
      const priced = await store.queryRollups({
        fromDay: DAY,
        toDay: DAY,
        where: { catalogModel: 'gpt-4o' },
      });
      assert.equal(
        priced.reduce((sum, row) => sum + row.cost, 0),
        135,
      );
      const called = await store.queryRollups({ fromDay: DAY, toDay: DAY, where: { model: 'gpt-4o' } });
      assert.deepEqual(
        called.map((row) => row.cost),
        [30],
      );
    }),
    timeout,
  );

  test(
    'records page in time order (timestamp, then request id), with from inclusive, to exclusive and filters',
    withStore(async (store) => {
      const calls = [
        record('c', 1, { timestamp: T0 + 2_000 }),
        record('a', 2, { timestamp: T0 }),
        record('e', 3, { timestamp: T0 + 1_000, userId: 'u-2' }),
        record('b', 4, { timestamp: T0 + 1_000, userId: 'u-1', model: 'gpt-4o-mini' }),
        record('d', 5, { timestamp: T0 + 1_000, projectId: 'p-1' }),
        record('f', 6, { timestamp: T0 + 3_000, userId: 'u-1', requestType: 'summarize' }),
      ];
      for (const call of calls)
        await store.commit({ record: call, counters: [charge('a')], now: call.timestamp });
      const ids = (pages: UsageRecord[][]) => pages.map((page) => page.map((call) => call.requestId));
      assert.deepEqual(ids(await readAll(store, { limit: 2 })), [
        ['a', 'b'],
        ['d', 'e'],
        ['c', 'f'],
      ]);
      assert.deepEqual(ids(await readAll(store, { limit: 4, from: T0 + 1_000, to: T0 + 3_000 })), [
        ['b', 'd', 'e', 'c'],
      ]);
      assert.deepEqual(ids(await readAll(store, { limit: 1, where: { userId: 'u-1' } })), [['b'], ['f']]);
      assert.deepEqual(ids(await readAll(store, { limit: 5, where: { userId: 'u-1', model: 'gpt-4o' } })), [
        ['f'],
      ]);
      assert.deepEqual(ids(await readAll(store, { limit: 5, where: { requestType: 'summarize' } })), [['f']]);
      assert.deepEqual(ids(await readAll(store, { limit: 5, where: { projectId: 'p-1' } })), [['d']]);
      assert.deepEqual(ids(await readAll(store, { limit: 5, where: { catalogModel: 'gpt-4o-mini' } })), [
        ['b'],
      ]);
      // A page starts after the given position even when `from` is earlier, and at `from` when it is later.
      assert.deepEqual(
        (
          await store.readRecords({ limit: 5, from: T0, after: { timestamp: T0 + 1_000, requestId: 'b' } })
        ).map((call) => call.requestId),
        ['d', 'e', 'c', 'f'],
      );
      assert.deepEqual(
        (
          await store.readRecords({ limit: 5, from: T0 + 3_000, after: { timestamp: T0, requestId: 'a' } })
        ).map((call) => call.requestId),
        ['f'],
      );
      assert.deepEqual(await store.readRecords({ limit: 5, from: T0 + 4_000 }), []);
    }),
    timeout,
  );

  test(
    'pages of any size, over records committed in any order, list every record once in time order',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(
            fc.record({
              requestId: fc.stringMatching(/^[a-z0-9-]{1,8}$/),
              offset: fc.integer({ min: 0, max: 4 }),
            }),
            { selector: (call) => call.requestId, minLength: 0, maxLength: 25 },
          ),
          fc.integer({ min: 1, max: 7 }),
          async (calls, pageSize) => {
            const store = await makeStore();
            try {
              for (const call of calls) {
                const timestamp = T0 + call.offset * 1_000;
                await store.commit({
                  record: record(call.requestId, 1, { timestamp }),
                  counters: [charge('a')],
                  now: timestamp,
                });
              }
              const expected = calls
                .map((call) => ({ timestamp: T0 + call.offset * 1_000, requestId: call.requestId }))
                .sort(compareRecordPositions);
              const pages = await readAll(store, { limit: pageSize });
              assert.ok(pages.slice(0, -1).every((page) => page.length === pageSize));
              assert.deepEqual(
                pages.flat().map((call) => ({ timestamp: call.timestamp, requestId: call.requestId })),
                expected,
              );
            } finally {
              await store.close();
            }
          },
        ),
        { numRuns: 15 },
      );
    },
    timeout,
  );
}
