import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { BudgetDefinition, BudgetStore } from '../store/store-contract';
import { T0 } from './conformance-fixtures';
import type { ConformanceTest } from './store-conformance-suite';

type WithStore = (fn: (store: BudgetStore) => Promise<void>) => () => Promise<void>;

const APP: BudgetDefinition = {
  id: 'app',
  limitNano: 30_000_000_000,
  period: 'month',
  timeZone: 'Europe/Paris',
  scope: 'global',
  thresholds: { yellow: 0.5, orange: 0.75, red: 0.9, critical: 1 },
  bufferNano: 0,
  perCallCapsNano: { red: 50_000_000, critical: 10_000_000 },
  reportTimeZone: 'Europe/Paris',
};

const PER_USER: BudgetDefinition = {
  id: 'per-user',
  limitNano: 2_000_000_000,
  period: 'day',
  timeZone: 'UTC',
  scope: 'user',
  thresholds: { yellow: 0.4, orange: 0.6, red: 0.8, critical: 1 },
  bufferNano: 100_000_000,
  perCallCapsNano: {},
};

const ONE_PROJECT: BudgetDefinition = {
  id: 'search-project',
  limitNano: 5_000_000_000,
  period: 'total',
  timeZone: 'America/New_York',
  scope: 'project',
  scopeValue: 'search',
  thresholds: { yellow: 0.5, orange: 0.75, red: 0.9, critical: 1.2 },
  bufferNano: 1,
  perCallCapsNano: { red: 20_000_000 },
};

const definitionArbitrary: fc.Arbitrary<BudgetDefinition> = fc
  .record({
    id: fc.constantFrom('app', 'daily', 'per-user', 'team'),
    limitNano: fc.integer({ min: 0, max: 1_000_000_000_000_000 }),
    period: fc.constantFrom('day', 'week', 'month', 'total'),
    timeZone: fc.constantFrom('UTC', 'Europe/Paris', 'Asia/Kolkata'),
    scope: fc.constantFrom('global', 'user', 'project', 'tag', 'team'),
    scopeValue: fc.option(fc.constantFrom('u-1', 'search', 'a|b\\c'), { nil: undefined }),
    thresholds: fc.constantFrom(
      { yellow: 0.5, orange: 0.75, red: 0.9, critical: 1 },
      { yellow: 0.1, orange: 0.2, red: 0.3, critical: 0.4 },
    ),
    bufferShare: fc.integer({ min: 0, max: 100 }),
    red: fc.option(fc.integer({ min: 0, max: 1_000_000_000 }), { nil: undefined }),
    critical: fc.option(fc.integer({ min: 0, max: 1_000_000_000 }), { nil: undefined }),
    reportTimeZone: fc.option(fc.constantFrom('UTC', 'America/New_York'), { nil: undefined }),
  })
  .map(({ bufferShare, red, critical, scopeValue, reportTimeZone, ...fields }) => ({
    ...fields,
    ...(scopeValue === undefined ? {} : { scopeValue }),
    ...(reportTimeZone === undefined ? {} : { reportTimeZone }),
    bufferNano: Math.floor((fields.limitNano * bufferShare) / 100),
    perCallCapsNano: {
      ...(red === undefined ? {} : { red }),
      ...(critical === undefined ? {} : { critical }),
    },
  }));

/** Store contract v2: the budget definitions an app saves, read back by whoever opens the store. */
export function budgetDefinitionConformance(test: ConformanceTest, withStore: WithStore, timeout: number) {
  test(
    'a new store has no budget definitions',
    withStore(async (store) => {
      assert.deepEqual(await store.readBudgets(), []);
    }),
    timeout,
  );

  test(
    'saved budget definitions read back by id, each with when it was saved',
    withStore(async (store) => {
      await store.saveBudgets([PER_USER, APP, ONE_PROJECT], T0);
      assert.deepEqual(await store.readBudgets(), [
        { ...APP, definedAt: T0 },
        { ...PER_USER, definedAt: T0 },
        { ...ONE_PROJECT, definedAt: T0 },
      ]);
    }),
    timeout,
  );

  test(
    'saving a definition again replaces it by id and leaves the others',
    withStore(async (store) => {
      await store.saveBudgets([APP, PER_USER], T0);
      const raised = { ...APP, limitNano: 50_000_000_000, perCallCapsNano: {} };
      await store.saveBudgets([raised], T0 + 60_000);
      assert.deepEqual(await store.readBudgets(), [
        { ...raised, definedAt: T0 + 60_000 },
        { ...PER_USER, definedAt: T0 },
      ]);
      await store.saveBudgets([], T0 + 120_000);
      assert.equal((await store.readBudgets()).length, 2);
    }),
    timeout,
  );

  test(
    'any sequence of saves reads back as the last save of each id',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.uniqueArray(definitionArbitrary, { selector: (definition) => definition.id }), {
            minLength: 1,
            maxLength: 4,
          }),
          async (saves) => {
            await withStore(async (store) => {
              const expected = new Map<string, BudgetDefinition & { definedAt: number }>();
              for (const [index, definitions] of saves.entries()) {
                await store.saveBudgets(definitions, T0 + index);
                for (const definition of definitions)
                  expected.set(definition.id, { ...definition, definedAt: T0 + index });
              }
              assert.deepEqual(
                await store.readBudgets(),
                [...expected.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
              );
            })();
          },
        ),
        { numRuns: 15 },
      );
    },
    timeout,
  );
}
