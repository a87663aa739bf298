import { type BudgetManager, ValidationError, createBudget } from '@tollgate/core';
import { type CommandStartedEvent, type Document, MongoClient } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MongoStore } from './mongo-store';
import { MONGO_STORE_OPERATORS } from './testing/store-operators';
import { testServerUri, uniqueName } from './testing/test-database';
import { usageRecord } from './testing/usage-record';

// Every `$` key in a command the store sends is one of these: the store's own operators and
// the driver's envelope fields. None can come from an id, a tag or a query value.
const ALLOWED_DOLLAR_KEYS = new Set([...MONGO_STORE_OPERATORS, '$db', '$readPreference', '$clusterTime']);

const NOW = Date.UTC(2026, 10, 29, 12);
const DAY = '2026-11-29';
const KEY = { budgetId: 'app', scope: 'user:u.1@example.com', period: 'month:2026-11' };
const dbName = uniqueName('injection');
const client = new MongoClient(testServerUri(), { monitorCommands: true });
const commands: CommandStartedEvent[] = [];
client.on('commandStarted', (event) => commands.push(event));
const store = new MongoStore({ client, dbName });
const budget: BudgetManager = createBudget({
  store,
  budgets: [{ id: 'app', limitUsd: 1, period: 'month', scope: 'user' }],
  clock: () => NOW,
});

beforeAll(async () => {
  // Values may hold dots, dollars and brackets: as values they are inert.
  const reserved = await store.reserve({
    reservationId: 'r-$1.{x}',
    amount: 500,
    counters: [{ ...KEY, capacity: 10_000, periodEnd: NOW + 86_400_000 }],
    leaseMs: 60_000,
    now: NOW,
  });
  expect(reserved.ok).toBe(true);
  await store.commit({
    reservationId: 'r-$1.{x}',
    record: record({ requestId: 'q.$1', userId: 'u.1@example.com', tags: ['team-a', 'x$y'] }),
    counters: [{ ...KEY, day: DAY }],
    now: NOW,
  });
  await store.commitMany([
    { record: record({ requestId: 'q2' }), counters: [{ ...KEY, day: DAY }], now: NOW },
  ]);
  await store.release('never', NOW);
  await store.readCounters([KEY], NOW);
  await store.readHolds({ ...KEY, scope: 'user:$x.{y}' }, NOW);
  await store.readDailySpend({ budgetId: KEY.budgetId, scope: KEY.scope, fromDay: DAY, toDay: DAY });
  await store.queryRollups({ fromDay: DAY, toDay: DAY, where: { userId: 'u.1@example.com', projectId: '' } });
  await store.getRecord('q.$1');
  await store.saveBudgets(
    [
      {
        id: 'app',
        limitNano: 1_000_000_000,
        period: 'month',
        timeZone: 'UTC',
        scope: 'user',
        scopeValue: 'u.1@$x',
        thresholds: { yellow: 0.5, orange: 0.75, red: 0.9, critical: 1 },
        bufferNano: 0,
        perCallCapsNano: { red: 50_000_000 },
      },
    ],
    NOW,
  );
  await store.readBudgets();
  await store.readRecords({
    from: NOW,
    to: NOW + 1,
    after: { timestamp: NOW, requestId: 'q.$1' },
    where: { userId: 'u.1@example.com', catalogModel: 'x$y' },
    limit: 10,
  });
  await store.listCounters({
    budgetId: 'app',
    period: KEY.period,
    afterScope: 'user:$.a',
    limit: 10,
    now: NOW,
  });
});

afterAll(async () => {
  await client.db(dbName).dropDatabase();
  await client.close();
});

it('sends only its own operators, whatever the ids contain', () => {
  expect(commands.length).toBeGreaterThan(10);
  const seen = new Set(commands.flatMap((event) => dollarKeysOf(event.command)));
  expect([...seen]).toEqual(expect.arrayContaining(['$inc', '$push', '$pullAll', '$all', '$lte', '$ne']));
  for (const event of commands) {
    for (const key of dollarKeysOf(event.command))
      expect(ALLOWED_DOLLAR_KEYS, event.commandName).toContain(key);
  }
});

it('stores values with dots and dollars as plain values', async () => {
  expect(await store.getRecord('q.$1')).toMatchObject({ userId: 'u.1@example.com', tags: ['team-a', 'x$y'] });
  expect(await store.readCounters([KEY], NOW)).toEqual([{ ...KEY, committed: 200, reserved: 0 }]);
});

it('reads holds whose ids hold dots and dollars as plain values', async () => {
  const key = { ...KEY, scope: 'user:$h.1' };
  const reserved = await store.reserve({
    reservationId: 'lease~$i.1~{1}',
    amount: 300,
    counters: [{ ...key, capacity: 10_000, periodEnd: NOW + 86_400_000 }],
    leaseMs: 60_000,
    now: NOW,
  });
  expect(reserved.ok).toBe(true);
  expect(await store.readHolds(key, NOW)).toEqual([
    { reservationId: 'lease~$i.1~{1}', amount: 300, expiresAt: NOW + 60_000 },
  ]);
  await store.release('lease~$i.1~{1}', NOW);
  expect(await store.readHolds(key, NOW)).toEqual([]);
});

const operator = { $ne: null };
const protoKey = JSON.parse('{"__proto__": {"$ne": null}}');
const limit = { ...KEY, capacity: 1000, periodEnd: NOW + 1 };

const attempts: [string, () => Promise<unknown>][] = [
  ['an operator as reservation id', () => store.reserve({ ...reserve(), reservationId: operator as never })],
  ['"__proto__" as reservation id', () => store.reserve({ ...reserve(), reservationId: '__proto__' })],
  [
    'an operator as budget id',
    () => store.reserve({ ...reserve(), counters: [{ ...limit, budgetId: operator as never }] }),
  ],
  ['a $ budget id', () => store.reserve({ ...reserve(), counters: [{ ...limit, budgetId: '$where' }] })],
  ['a dotted budget id', () => store.reserve({ ...reserve(), counters: [{ ...limit, budgetId: 'a.b' }] })],
  [
    'an operator as scope',
    () => store.reserve({ ...reserve(), counters: [{ ...limit, scope: { $gt: '' } as never }] }),
  ],
  [
    'a counter with a __proto__ key',
    () => store.reserve({ ...reserve(), counters: [{ ...limit, ...protoKey, scope: operator as never }] }),
  ],
  ['an amount as an object', () => store.reserve({ ...reserve(), amount: { $gt: 0 } as never })],
  ['a fractional amount', () => store.reserve({ ...reserve(), amount: 1.5 })],
  [
    'an operator as capacity',
    () => store.reserve({ ...reserve(), counters: [{ ...limit, capacity: { $gt: 0 } as never }] }),
  ],
  ['an operator as request id', () => store.commit(commit({ requestId: operator as never }))],
  ['an operator as user id', () => store.commit(commit({ userId: operator as never }))],
  ['a $ tag', () => store.commit(commit({ tags: ['$where'] }))],
  ['a dotted tag', () => store.commit(commit({ tags: ['a.b'] }))],
  ['a "__proto__" tag', () => store.commit(commit({ tags: ['__proto__'] }))],
  ['an object tag', () => store.commit(commit({ tags: [operator as never] }))],
  ['tags as an object', () => store.commit(commit({ tags: operator as never }))],
  ['an operator as day', () => store.commit(commit({ day: { $gte: '' } as never }))],
  ['a day that does not exist', () => store.commit(commit({ day: '2026-02-30' }))],
  ['a thirteenth month', () => store.queryRollups({ fromDay: '2026-13-01', toDay: DAY })],
  ['an operator as cost', () => store.commit(commit({ cost: { $inc: 1 } as never }))],
  ['an unknown service', () => store.commit(commit({ service: '$llm' as never }))],
  [
    'an operator as reservation id in commit',
    () => store.commit({ ...commit({}), reservationId: operator as never }),
  ],
  [
    'an operator as charge day',
    () => store.commit({ ...commit({}), counters: [{ ...KEY, day: operator as never }] }),
  ],
  ['an operator in a batch', () => store.commitMany([commit({}), commit({ requestId: operator as never })])],
  ['an operator to release', () => store.release(operator as never, NOW)],
  ['an operator as now', () => store.release('r', operator as never)],
  ['an operator to read a record', () => store.getRecord(operator as never)],
  ['"__proto__" to read a record', () => store.getRecord('__proto__')],
  ['an operator in a counter key', () => store.readCounters([{ ...KEY, period: operator as never }], NOW)],
  [
    'an operator as the scope of the counter to read holds of',
    () => store.readHolds({ ...KEY, scope: operator as never }, NOW),
  ],
  [
    'an operator as the budget of the counter to read holds of',
    () => store.readHolds({ ...KEY, budgetId: { $gt: '' } as never }, NOW),
  ],
  ['a counter key with a __proto__ key to read holds of', () => store.readHolds(protoKey, NOW)],
  ['an operator as the key to read holds of', () => store.readHolds(operator as never, NOW)],
  ['an operator as now to read holds', () => store.readHolds(KEY, operator as never)],
  ['an operator as a rollup day', () => store.queryRollups({ fromDay: operator as never, toDay: DAY })],
  [
    'an operator as a rollup filter',
    () => store.queryRollups({ fromDay: DAY, toDay: DAY, where: { userId: operator as never } }),
  ],
  [
    'a $ rollup filter key',
    () => store.queryRollups({ fromDay: DAY, toDay: DAY, where: { $where: 'x' } as never }),
  ],
  ['a __proto__ rollup filter key', () => store.queryRollups({ fromDay: DAY, toDay: DAY, where: protoKey })],
  [
    'an operator as a records filter',
    () => store.readRecords({ limit: 1, where: { model: operator as never } }),
  ],
  ['a $ records filter key', () => store.readRecords({ limit: 1, where: { $where: 'x' } as never })],
  ['a __proto__ records filter key', () => store.readRecords({ limit: 1, where: protoKey })],
  ['an operator as a records position', () => store.readRecords({ limit: 1, after: operator as never })],
  [
    'an operator as a records position id',
    () => store.readRecords({ limit: 1, after: { timestamp: NOW, requestId: operator as never } }),
  ],
  ['an operator as a records time', () => store.readRecords({ limit: 1, from: { $gt: 0 } as never })],
  ['an operator as a records page size', () => store.readRecords({ limit: operator as never })],
  ['a records page of 10,000', () => store.readRecords({ limit: 10_000 })],
  [
    'an operator as the budget of a counter list',
    () => store.listCounters({ budgetId: operator as never, period: KEY.period, limit: 1, now: NOW }),
  ],
  [
    'an operator as the scope a counter list starts after',
    () =>
      store.listCounters({
        budgetId: 'app',
        period: KEY.period,
        afterScope: operator as never,
        limit: 1,
        now: NOW,
      }),
  ],
  ['an operator as a budget definition', () => store.saveBudgets([operator as never], NOW)],
  [
    'an operator in a budget definition',
    () =>
      store.saveBudgets(
        [
          {
            id: 'app',
            limitNano: { $gt: 0 } as never,
            period: 'month',
            timeZone: 'UTC',
            scope: 'global',
            thresholds: { yellow: 0.5, orange: 0.75, red: 0.9, critical: 1 },
            bufferNano: 0,
            perCallCapsNano: {},
          },
        ],
        NOW,
      ),
  ],
  ['budget definitions as an object', () => store.saveBudgets(operator as never, NOW)],
  [
    'an operator as daily scope',
    () => store.readDailySpend({ budgetId: 'app', scope: operator as never, fromDay: DAY, toDay: DAY }),
  ],
  [
    'an operator as a context user id',
    () => budget.gate({ ...gate(), context: { userId: operator as never } }),
  ],
  ['a $ context tag', () => budget.gate({ ...gate(), context: { userId: 'u', tags: ['$x'] } })],
  [
    'an operator as a request id',
    () =>
      budget.recordUsage({
        provider: 'openai',
        model: 'gpt-4o-mini',
        usage: { inputTokens: 1 },
        requestId: operator as never,
        context: { userId: 'u' },
      }),
  ],
];

for (const [name, attempt] of attempts) {
  it(`refuses ${name} before sending any command`, async () => {
    const before = commands.length;
    await expect(attempt()).rejects.toSatisfy(ValidationError.isInstance);
    expect(commands.slice(before).map((event) => event.commandName)).toEqual([]);
  });
}

function dollarKeysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(dollarKeysOf);
  if (value === null || typeof value !== 'object' || value.constructor !== Object) return [];
  return Object.entries(value as Document).flatMap(([key, inner]) => [
    ...(key.startsWith('$') ? [key] : []),
    ...dollarKeysOf(inner),
  ]);
}

function reserve() {
  return { reservationId: 'r-bad', amount: 1, counters: [limit], leaseMs: 1_000, now: NOW };
}

function gate() {
  return { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 10, maxOutputTokens: 10 };
}

function commit(overrides: Record<string, unknown>) {
  return { record: record(overrides), counters: [{ ...KEY, day: DAY }], now: NOW };
}

/** A valid record with `overrides` on top: hostile values, where the tests give them, included. */
function record(overrides: Record<string, unknown>) {
  return { ...usageRecord({ requestId: 'q-bad', timestamp: NOW }), ...overrides };
}
