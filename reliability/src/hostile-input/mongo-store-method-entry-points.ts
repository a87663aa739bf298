import type { BudgetDefinition, CommitRequest, ReserveRequest, UsageRecord } from '@tollgate/core';
import type { MongoStore } from '@tollgate/mongodb';
import fc from 'fast-check';
import { NOW, TODAY } from './core-entry-points';
import { type EntryPoint, objectWithKey, position, withValue } from './entry-point';

// MongoStore's own methods are public too (an app may call a store directly, and other
// tools do): each checks what it is handed before any command is built.

const KEY = { budgetId: 'app', scope: 'user:u.1@example.com', period: 'month:2026-11' };
const LIMIT = { ...KEY, capacity: 1_000_000_000, periodEnd: NOW + 86_400_000 };

/** A whole number of nano-USD that may be negative (an available amount), but nothing else. */
const nonIntegers = fc.constantFrom<unknown>(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  0.5,
  -0.5,
  2 ** 60,
  '10',
  null,
  true,
  { $gt: 0 },
  [1],
  10n,
);

const hostileTexts = fc.oneof(
  fc.constantFrom<unknown>(null, 7, { $gt: '' }, ['x'], true, Symbol('t')),
  fc.integer({ min: 257, max: 2000 }).map((length) => 't'.repeat(length)),
);

const hostileWhereKeys = fc.constantFrom(
  '$where',
  '$expr',
  'day',
  '__proto__',
  'constructor',
  'cost',
  'a.b',
  '',
);

const DEFINITION: BudgetDefinition = {
  id: 'app',
  limitNano: 1_000_000_000,
  period: 'month',
  timeZone: 'UTC',
  scope: 'user',
  scopeValue: 'u.1@example.com',
  thresholds: { yellow: 0.5, orange: 0.75, red: 0.9, critical: 1 },
  bufferNano: 0,
  perCallCapsNano: {},
};

let sequence = 0;
function freshId(prefix: string): string {
  sequence += 1;
  return `${prefix}.${sequence}$`;
}

function record(requestId: string): UsageRecord {
  return {
    requestId,
    timestamp: NOW,
    day: TODAY,
    provider: 'openai',
    model: 'gpt-4o-mini',
    catalogModel: 'gpt-4o-mini',
    service: 'llm',
    requestType: 'chat',
    userId: 'u.1@example.com',
    projectId: 'p-$1',
    tags: ['team-a'],
    cost: 1_000,
    reserved: 0,
    overrun: 0,
    estimated: false,
    priceSource: 'tollgate',
    inputTokens: 10,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 10,
    reasoningTokens: 0,
    audioMilliseconds: 0,
    characters: 0,
    images: 0,
    pages: 0,
  };
}

export function mongoStoreMethodEntryPoints(store: MongoStore): EntryPoint[] {
  const reserveRequest = (): ReserveRequest => ({
    reservationId: freshId('r'),
    amount: 1_000,
    counters: [LIMIT],
    leaseMs: 60_000,
    now: NOW,
  });
  const reserveThenRelease = async (request: unknown) => {
    const result = await store.reserve(request as never);
    await store.release((request as ReserveRequest).reservationId, NOW);
    return result;
  };
  const reserveAt = (path: string) => (value: unknown) =>
    reserveThenRelease(withValue(reserveRequest(), path, value));
  const commitRequest = (): CommitRequest => ({
    record: record(freshId('q')),
    counters: [{ ...KEY, day: TODAY }],
    now: NOW,
  });
  const commitAt = (path: string) => (value: unknown) =>
    store.commit(withValue(commitRequest(), path, value));
  const recordAt = (path: string) => commitAt(`record.${path}`);
  const rollupsAt = (path: string) => (value: unknown) =>
    store.queryRollups(
      withValue({ fromDay: TODAY, toDay: TODAY, where: { userId: 'u.1@example.com' } }, path, value),
    );
  const dailyAt = (path: string) => (value: unknown) =>
    store.readDailySpend(
      withValue({ budgetId: 'app', scope: KEY.scope, fromDay: TODAY, toDay: TODAY }, path, value),
    );

  const recordsAt = (path: string) => (value: unknown) =>
    store.readRecords(
      withValue(
        { limit: 10, after: { timestamp: NOW, requestId: 'q.1' }, where: { userId: 'u.1@example.com' } },
        path,
        value,
      ),
    );
  const countersAt = (path: string) => (value: unknown) =>
    store.listCounters(
      withValue(
        { budgetId: 'app', period: KEY.period, afterScope: 'user:a', limit: 10, now: NOW },
        path,
        value,
      ),
    );
  const definitionAt = (path: string) => (value: unknown) =>
    store.saveBudgets([withValue(DEFINITION, path, value)], NOW);

  return [
    {
      name: 'MongoStore.reserve',
      positions: [
        position('request', 'object', undefined, (value) =>
          reserveThenRelease(value === undefined ? reserveRequest() : value),
        ),
        position('request.reservationId', 'id', 'r.$legit', reserveAt('reservationId')),
        position('request.amount', 'count', 5, reserveAt('amount')),
        position('request.counters', 'array', [], reserveAt('counters')),
        position('request.counters[]', 'object', LIMIT, reserveAt('counters.0')),
        position('request.counters[].budgetId', 'key', 'per-user', reserveAt('counters.0.budgetId')),
        position('request.counters[].scope', 'id', 'user:a|b\\c', reserveAt('counters.0.scope')),
        position('request.counters[].period', 'key', 'day:2026-11-29', reserveAt('counters.0.period')),
        position('request.counters[].capacity', 'count', -5, reserveAt('counters.0.capacity'), {
          values: nonIntegers,
        }),
        position('request.counters[].periodEnd', 'count', NOW, reserveAt('counters.0.periodEnd'), {
          values: nonIntegers,
        }),
        position('request.leaseMs', 'count', 1_000, reserveAt('leaseMs')),
        position('request.now', 'count', NOW + 1, reserveAt('now')),
      ],
    },
    {
      name: 'MongoStore.commit / commitMany',
      positions: [
        position('request', 'object', undefined, (value) =>
          store.commit((value === undefined ? commitRequest() : value) as never),
        ),
        position('request.reservationId', 'id', 'r.never', commitAt('reservationId')),
        position('request.record', 'object', undefined, (value) =>
          value === undefined ? store.commit(commitRequest()) : commitAt('record')(value),
        ),
        position('record.requestId', 'id', undefined, (value) =>
          value === undefined ? store.commit(commitRequest()) : recordAt('requestId')(value),
        ),
        position('record.day', 'day', TODAY, recordAt('day')),
        position('record.provider', 'id', 'anthropic', recordAt('provider')),
        position('record.model', 'id', 'a.model', recordAt('model')),
        position('record.service', 'choice', 'embedding', recordAt('service')),
        position('record.requestType', 'key', 'summarize', recordAt('requestType')),
        position('record.userId', 'id', 'u|2', recordAt('userId')),
        position('record.projectId', 'id', 'p\\2', recordAt('projectId')),
        position('record.tags', 'array', [], recordAt('tags')),
        position('record.tags[]', 'key', 'x$y', recordAt('tags.0')),
        position('record.cost', 'count', 5, recordAt('cost')),
        position('record.inputTokens', 'count', 5, recordAt('inputTokens')),
        position('record.estimated', 'boolean', true, recordAt('estimated')),
        position('record.priceSource', 'id', 'user', recordAt('priceSource'), { values: hostileTexts }),
        position('request.counters[].day', 'day', TODAY, commitAt('counters.0.day')),
        position('request.counters[].scope', 'id', 'project:p.1', commitAt('counters.0.scope')),
        position('commitMany(requests)', 'array', [], (value) => store.commitMany(value as never)),
        position('commitMany(requests[])', 'object', undefined, (value) =>
          store.commitMany([value === undefined ? commitRequest() : value] as never),
        ),
      ],
    },
    {
      name: 'MongoStore reads and release',
      positions: [
        position('release(reservationId)', 'id', 'r.unknown', (value) => store.release(value as string, NOW)),
        position('release(now)', 'count', NOW, (value) => store.release('r.unknown', value as number)),
        position('readCounters(keys)', 'array', [KEY], (value) => store.readCounters(value as never, NOW)),
        position('readCounters(keys[].scope)', 'id', 'user:x.y', (value) =>
          store.readCounters([{ ...KEY, scope: value as string }], NOW),
        ),
        position('readCounters(now)', 'count', NOW, (value) => store.readCounters([KEY], value as number)),
        position(
          'readDailySpend(query)',
          'object',
          { budgetId: 'app', scope: 'global', fromDay: TODAY, toDay: TODAY },
          (value) => store.readDailySpend(value as never),
        ),
        position('readDailySpend(query.budgetId)', 'key', 'per-user', dailyAt('budgetId')),
        position('readDailySpend(query.fromDay)', 'day', '2026-11-01', dailyAt('fromDay')),
        position('queryRollups(query.where)', 'object', {}, rollupsAt('where')),
        position('queryRollups(query.where.userId)', 'id', '', rollupsAt('where.userId'), {
          values: hostileTexts,
        }),
        position(
          'queryRollups(query.where key)',
          'key',
          'model',
          (key) =>
            store.queryRollups({
              fromDay: TODAY,
              toDay: TODAY,
              where: objectWithKey(key as string, 'x') as never,
            }),
          { values: hostileWhereKeys },
        ),
        position('queryRollups(query.toDay)', 'day', TODAY, rollupsAt('toDay')),
        position('getRecord(requestId)', 'id', 'q.$unknown', (value) => store.getRecord(value as string)),
        position('readRecords(query.where.userId)', 'id', 'u.1@example.com', recordsAt('where.userId'), {
          values: hostileTexts,
        }),
        position('readRecords(query.after.requestId)', 'id', 'q.$1', recordsAt('after.requestId')),
        position('readRecords(query.after.timestamp)', 'count', NOW, recordsAt('after.timestamp')),
        position('readRecords(query.from)', 'count', NOW, recordsAt('from')),
        position('readRecords(query.limit)', 'count', 5, recordsAt('limit')),
        position('listCounters(query.budgetId)', 'key', 'per-user', countersAt('budgetId')),
        position('listCounters(query.afterScope)', 'id', 'user:a|b', countersAt('afterScope')),
        position('listCounters(query.period)', 'key', 'day:2026-11-29', countersAt('period')),
        position('saveBudgets(definitions[])', 'object', DEFINITION, (value) =>
          store.saveBudgets([value as never], NOW),
        ),
        position('saveBudgets(definitions[].id)', 'key', 'per-user', definitionAt('id')),
        position('saveBudgets(definitions[].scopeValue)', 'id', 'u.1@$x', definitionAt('scopeValue')),
        position('saveBudgets(definitions[].limitNano)', 'count', 5, definitionAt('limitNano')),
      ],
    },
  ];
}
