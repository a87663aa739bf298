import {
  type BudgetConfig,
  type BudgetManager,
  type BudgetStore,
  type CreateBudgetOptions,
  canAfford,
  contextWithDefaults,
  createBudget,
  createUsage,
  estimateCost,
  getBudgetStatus,
  MemoryStore,
  ModelRegistry,
  PriceCatalog,
  recordUsage,
  setDefaultBudget,
  trackUsage,
} from '@tollgate/core';
import fc from 'fast-check';
import { type EntryPoint, objectWithKey, type Position, position, withValue } from './entry-point';
import type { HostileKind } from './hostile-values';

export const NOW = Date.UTC(2026, 10, 29, 12);
export const TODAY = '2026-11-29';

/** The budgets every hostile-input harness runs under: global, per user, per project and a custom scope. */
export const HARNESS_BUDGETS: BudgetConfig[] = [
  { id: 'app', limitUsd: 100, period: 'month' },
  { id: 'per-user', limitUsd: 10, period: 'day', scope: 'user' },
  { id: 'per-project', limitUsd: 20, period: 'month', scope: 'project' },
  { id: 'per-team', limitUsd: 5, period: 'week', scope: { attribute: 'team' }, timeZone: 'Europe/Paris' },
];

/** Legitimate ids that look dangerous: as values they are inert and must be accepted. */
export const LEGIT_CONTEXT = {
  userId: 'u.1@example.com',
  projectId: 'p-$1.{x}',
  requestType: 'chat',
  tags: ['team-a', 'x$y'],
  attributes: { team: 'search.eu|$x' },
};

const GATE_REQUEST = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 100, maxOutputTokens: 100 };
const USAGE_INPUT = { inputTokens: 10, outputTokens: 10 };
const RECORD_INPUT = { provider: 'openai', model: 'gpt-4o-mini', usage: USAGE_INPUT, context: LEGIT_CONTEXT };
const PRICE = { provider: 'acme', model: 'acme-1', prices: { inputPerMTok: 1, outputPerMTok: 2 } };

/** A number `canAfford` takes as a cost in USD. */
function isAmount(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1e12;
}

let sequence = 0;
/** A fresh legitimate request id, so that a legitimate record is never a duplicate. */
function freshRequestId(): string {
  sequence += 1;
  return `req.${sequence}$ok`;
}

type Call = (value: unknown) => unknown;

function custom(field: string, values: fc.Arbitrary<unknown>, legit: unknown, call: Call): Position {
  return { field, values, legit, call };
}

/** Hostile strings used as object keys (where an id is read from a key, not a value). */
const hostileKeyStrings = fc.oneof(
  fc.constantFrom('$gt', '$where', '', '__proto__', 'constructor', 'prototype', 'a.b', '$', 'x\u0000y'),
  fc.string({ maxLength: 10 }).map((text) => `$${text}`),
  fc.integer({ min: 257, max: 1000 }).map((length) => 'k'.repeat(length)),
);

/** Places inside a call context, for any entry point that takes one. */
function contextPositions(prefix: string, call: (context: unknown) => unknown): Position[] {
  const at = (path: string) => (value: unknown) => call(withValue(LEGIT_CONTEXT, path, value));
  return [
    position(`${prefix}`, 'object', LEGIT_CONTEXT, call),
    position(`${prefix}.userId`, 'id', 'u.2', at('userId')),
    position(`${prefix}.projectId`, 'id', 'p.2', at('projectId')),
    position(`${prefix}.requestType`, 'key', 'summarize', at('requestType')),
    position(`${prefix}.tags`, 'array', ['b'], at('tags'), {
      values: fc.oneof(
        fc.constantFrom<unknown>('team-a', { 0: 'a', length: 1 }, null, 7),
        fc.array(fc.constant('t'), { minLength: 33, maxLength: 40 }),
      ),
    }),
    position(`${prefix}.tags[]`, 'key', 'team-b', (value) => call(withValue(LEGIT_CONTEXT, 'tags', [value]))),
    position(`${prefix}.attributes`, 'object', { team: 'x' }, at('attributes')),
    position(`${prefix}.attributes.team`, 'id', 'x.y', at('attributes.team')),
    custom(`${prefix}.attributes key`, hostileKeyStrings, 'region', (key) =>
      call({ ...LEGIT_CONTEXT, attributes: objectWithKey(key as string, 'x') }),
    ),
  ];
}

/** Places of an estimate request (`gate`, `guard`, `estimateCost`, `canAfford`). */
function estimatePositions(prefix: string, call: (request: unknown) => unknown): Position[] {
  const at = (path: string) => (value: unknown) => call(withValue(GATE_REQUEST, path, value));
  return [
    position(prefix, 'object', GATE_REQUEST, call),
    position(`${prefix}.provider`, 'id', 'openai', at('provider')),
    position(`${prefix}.model`, 'id', 'gpt-4o-mini-2024-07-18', at('model')),
    position(`${prefix}.service`, 'choice', 'llm', at('service')),
    position(`${prefix}.inputTokens`, 'count', 10, at('inputTokens')),
    position(`${prefix}.overheadTokens`, 'count', 3, at('overheadTokens')),
    position(`${prefix}.maxOutputTokens`, 'count', 10, at('maxOutputTokens')),
    position(`${prefix}.audioSeconds`, 'quantity', 1.5, at('audioSeconds')),
    position(`${prefix}.audioBytes`, 'count', 1000, at('audioBytes')),
    position(`${prefix}.assumedAudioKbps`, 'quantity', 32, at('assumedAudioKbps')),
    position(`${prefix}.characters`, 'count', 100, at('characters')),
    position(`${prefix}.images`, 'count', 1, at('images')),
    position(`${prefix}.pages`, 'count', 1, at('pages')),
    custom(
      `${prefix}.text`,
      fc.oneof(
        fc.constantFrom<unknown>(7, null, { $gt: '' }, [1, 2], ['ok', { $ne: null }], Symbol('t'), () => 'x'),
        fc.array(fc.oneof(fc.integer(), fc.constant(null), fc.constant({ $gt: '' })), { minLength: 1 }),
      ),
      'a prompt with $gt and a.dot',
      (value) => call({ ...withValue(GATE_REQUEST, 'text', value), inputTokens: undefined }),
    ),
    position(`${prefix}.at`, 'date', new Date(NOW), at('at')),
  ];
}

/** A `Usage` as `createUsage` builds it, for forging one with a bad field. */
const VALID_USAGE = createUsage(USAGE_INPUT);

/**
 * Places of a usage, as a `UsageInput` or as a ready `Usage` (which must be checked as well).
 * `usageOnly`: the entry point takes a `Usage` only (`settle`), so only forged ones are tried.
 */
function usagePositions(
  prefix: string,
  call: (usage: unknown) => unknown,
  options: { usageOnly?: boolean } = {},
): Position[] {
  const input = (field: string, kind: HostileKind) =>
    position(`${prefix}.${field}`, kind, 5, (value) => call(withValue(USAGE_INPUT, field, value)));
  const forged = (path: string, kind: HostileKind, legit: unknown) =>
    position(`${prefix}(Usage).${path}`, kind, legit, (value) => call(withValue(VALID_USAGE, path, value)));
  const inputs = [
    input('inputTokens', 'count'),
    input('cacheReadTokens', 'count'),
    input('cacheWriteTokens', 'count'),
    input('outputTokens', 'count'),
    input('characters', 'count'),
    input('pages', 'count'),
    input('images', 'count'),
    input('webSearches', 'count'),
    input('audioSeconds', 'quantity'),
  ];
  return [
    position(prefix, 'object', options.usageOnly ? VALID_USAGE : USAGE_INPUT, call),
    ...(options.usageOnly ? [] : inputs),
    forged('input', 'object', VALID_USAGE.input),
    forged('input.noCache', 'count', 10),
    forged('input.cacheRead', 'count', 0),
    forged('output.total', 'count', 10),
    forged('output.reasoning', 'count', 0),
    forged('images', 'count', 0),
    forged('audioSeconds', 'quantity', 0),
    custom(
      `${prefix}(Usage).specificationVersion`,
      fc.constantFrom<unknown>('v2', '', 1, null, { $gt: '' }),
      'v1',
      (value) => call(withValue(VALID_USAGE, 'specificationVersion', value)),
    ),
    custom(
      `${prefix}(Usage).input.total (inconsistent)`,
      fc.integer({ min: 0, max: 1_000_000 }).filter((total) => total !== VALID_USAGE.input.total),
      VALID_USAGE.input.total,
      (value) => call(withValue(VALID_USAGE, 'input.total', value)),
    ),
  ];
}

function createBudgetPositions(store: () => BudgetStore): Position[] {
  const base = (): CreateBudgetOptions => ({ store: store(), budgets: HARNESS_BUDGETS, clock: () => NOW });
  const at = (path: string) => (value: unknown) => createBudget(withValue(base(), path, value));
  const budgetAt = (path: string) => at(`budgets.0.${path}`);
  return [
    position('options', 'object', {}, (value) => createBudget(value as CreateBudgetOptions)),
    position('options.store', 'object', new MemoryStore(), at('store'), {
      values: fc.oneof(
        fc.constantFrom<unknown>({}, { $gt: '' }, { reserve: 'x' }, null, 'memory', 7, [], () => {}),
        fc.constant({ ...new MemoryStore(), specificationVersion: 'v1' }),
      ),
    }),
    position('options.budgets', 'array', HARNESS_BUDGETS, at('budgets'), {
      values: fc.oneof(fc.constant([]), fc.constantFrom<unknown>(null, 'app', { id: 'app', limitUsd: 1 }, 7)),
    }),
    position('options.budgets[]', 'object', { id: 'x', limitUsd: 1 }, at('budgets.0')),
    position('budget.id', 'key', 'app-2', budgetAt('id')),
    position('budget.limitUsd', 'quantity', 0.5, budgetAt('limitUsd')),
    position('budget.period', 'choice', 'week', budgetAt('period')),
    position('budget.timeZone', 'time-zone', 'America/New_York', budgetAt('timeZone')),
    position('budget.scope', 'key', 'user', budgetAt('scope')),
    position('budget.scopeValue', 'id', 'u.1', budgetAt('scopeValue')),
    position('budget.thresholds', 'object', { red: 0.95 }, budgetAt('thresholds')),
    position('budget.thresholds.red', 'quantity', 0.95, budgetAt('thresholds.red')),
    position('budget.bufferPercent', 'quantity', 2.5, budgetAt('bufferPercent')),
    position('budget.perCallCapsUsd', 'object', { red: 0.1 }, budgetAt('perCallCapsUsd'), {
      allowed: (value) => value === false,
    }),
    position('budget.perCallCapsUsd.critical', 'quantity', 0.02, budgetAt('perCallCapsUsd.critical')),
    position('options.prices', 'array', [PRICE], at('prices')),
    position('options.prices[]', 'object', PRICE, at('prices.0')),
    position('options.catalog', 'object', new PriceCatalog(), at('catalog'), {
      values: fc.constantFrom<unknown>({}, { $gt: '' }, { resolve: 'x' }, null, 'catalog', 7, []),
    }),
    position('options.onAlert', 'function', () => {}, at('onAlert')),
    position('options.leaseMs', 'count', 60_000, at('leaseMs')),
    position('options.reportTimeZone', 'time-zone', 'Asia/Tokyo', at('reportTimeZone')),
    position('options.minOutputTokens', 'count', 32, at('minOutputTokens')),
    position('options.admissionTimeoutMs', 'count', 1_000, at('admissionTimeoutMs')),
    position('options.usageBuffer', 'object', { maxEntries: 5 }, at('usageBuffer'), {
      allowed: (value) => value === false,
    }),
    position('options.usageBuffer.maxEntries', 'positive-count', 5, at('usageBuffer.maxEntries')),
    position('options.usageBuffer.retryIntervalMs', 'positive-count', 500, at('usageBuffer.retryIntervalMs')),
    custom(
      'options.usageBuffer.path',
      fc.constantFrom<unknown>('', 7, null, { $gt: '' }, ['a'], Symbol('p'), 'a\u0000b'),
      undefined,
      at('usageBuffer.path'),
    ),
    position('options.failOpen', 'object', { allowanceUsd: 1 }, at('failOpen')),
    position('options.failOpen.allowanceUsd', 'quantity', 0.5, at('failOpen.allowanceUsd')),
    position('options.models', 'array', [], at('models')),
    position(
      'options.models[]',
      'object',
      { provider: 'openai', model: 'gpt-4o-mini', service: 'llm', tier: 2 },
      at('models.0'),
    ),
    position('options.clock', 'function', () => NOW, at('clock')),
  ];
}

export interface CoreHarness {
  readonly budget: BudgetManager;
  /** A store for `createBudget` calls (never written by them). */
  readonly spareStore: () => BudgetStore;
}

/** Every public entry point of `@tollgate/core` that takes a caller's value, with its places. */
export function coreEntryPoints({ budget, spareStore }: CoreHarness): EntryPoint[] {
  const gateThenRelease = async (request: unknown) => {
    const admission = await budget.gate(request as never);
    await admission.release();
    return admission.reservedNano;
  };
  const guardWith = (descriptor: unknown, fn: unknown) => budget.guard(descriptor as never, fn as never);
  const legitGuardFunction = async (report: { reportUsage(usage: unknown): void }) => {
    report.reportUsage(USAGE_INPUT);
    return 'done';
  };
  const guardReporting = (usage: unknown, options?: unknown) =>
    budget.guard({ ...GATE_REQUEST, requestId: freshRequestId() }, async (report) => {
      report.reportUsage(usage as never, options as never);
      return 'done';
    });
  const settleWith = async (input: unknown) => {
    const admission = await budget.gate(GATE_REQUEST);
    try {
      return await admission.settle(input as never);
    } finally {
      await admission.release();
    }
  };
  const legitSettle = () => ({ usage: VALID_USAGE, requestId: freshRequestId() });
  const recordWith = (input: unknown) => budget.recordUsage(input as never);
  const record = (path: string) => (value: unknown) =>
    recordWith(withValue({ ...RECORD_INPUT, requestId: freshRequestId() }, path, value));
  const catalog = new PriceCatalog();
  const registry = new ModelRegistry();
  const breakdownAt = (path: string) => (value: unknown) =>
    budget.breakdown(withValue({ by: ['provider', 'userId'], from: TODAY, to: TODAY }, path, value));
  const selectAt = (path: string) => (value: unknown) =>
    budget.select(
      withValue(
        { service: 'llm', estimatedTokens: { input: 1_000, output: 100 }, context: LEGIT_CONTEXT },
        path,
        value,
      ),
    );
  const downgradeAt = (path: string) => (value: unknown) =>
    budget.downgradeFor(
      withValue({ provider: 'openai', model: 'gpt-4o', context: LEGIT_CONTEXT }, path, value),
    );
  const priceAt = (path: string) => (value: unknown) => catalog.setPrice(withValue(PRICE, path, value));

  return [
    { name: 'createBudget', positions: createBudgetPositions(spareStore) },
    {
      name: 'budget.gate',
      positions: [
        ...estimatePositions('request', gateThenRelease),
        ...contextPositions('request.context', (context) => gateThenRelease({ ...GATE_REQUEST, context })),
        position('request.requestId', 'id', 'chatcmpl.1', (value) =>
          gateThenRelease({ ...GATE_REQUEST, requestId: value }),
        ),
        position('request.onInsufficientBudget', 'choice', 'clamp', (value) =>
          gateThenRelease({ ...GATE_REQUEST, onInsufficientBudget: value }),
        ),
        position('request.minOutputTokens', 'count', 16, (value) =>
          gateThenRelease({ ...GATE_REQUEST, minOutputTokens: value }),
        ),
      ],
    },
    {
      name: 'budget.guard',
      positions: [
        ...estimatePositions('descriptor', (descriptor) => guardWith(descriptor, legitGuardFunction)).filter(
          (entry) => !entry.field.endsWith('.text'),
        ),
        ...contextPositions('descriptor.context', (context) =>
          guardWith({ ...GATE_REQUEST, context }, legitGuardFunction),
        ),
        position('fn', 'function', legitGuardFunction, (value) => guardWith(GATE_REQUEST, value)),
        ...usagePositions('reportUsage(usage)', (usage) => guardReporting(usage)),
        position('reportUsage(usage, options)', 'object', { estimated: true }, (value) =>
          guardReporting(USAGE_INPUT, value),
        ),
        position('reportUsage(usage, options.requestId)', 'id', 'resp.1', (value) =>
          guardReporting(USAGE_INPUT, { requestId: value === 'resp.1' ? freshRequestId() : value }),
        ),
      ],
    },
    {
      name: 'admission.settle',
      positions: [
        position('input', 'object', undefined, (value) =>
          settleWith(value === undefined ? legitSettle() : value),
        ),
        ...usagePositions('input.usage', (usage) => settleWith({ ...legitSettle(), usage }), {
          usageOnly: true,
        }),
        position('input.requestId', 'id', undefined, (value) =>
          settleWith({ ...legitSettle(), ...(value === undefined ? {} : { requestId: value }) }),
        ),
        position('input.model', 'id', 'gpt-4o-mini-2024-07-18', (value) =>
          settleWith({ ...legitSettle(), model: value }),
        ),
      ],
    },
    {
      name: 'budget.recordUsage',
      positions: [
        position('input', 'object', undefined, (value) =>
          recordWith(value === undefined ? { ...RECORD_INPUT, requestId: freshRequestId() } : value),
        ),
        position('input.provider', 'id', 'openai', record('provider')),
        position('input.model', 'id', 'gpt-4o', record('model')),
        position('input.service', 'choice', 'llm', record('service')),
        ...usagePositions('input.usage', record('usage')),
        position('input.requestId', 'id', undefined, (value) =>
          recordWith({ ...RECORD_INPUT, requestId: value === undefined ? freshRequestId() : value }),
        ),
        position('input.timestamp', 'count', NOW - 1000, record('timestamp')),
        ...contextPositions('input.context', record('context')),
      ],
    },
    {
      name: 'budget.status',
      positions: contextPositions('context', (context) => budget.status(context as never)),
    },
    {
      name: 'budget.canAfford',
      positions: [
        position('cost', 'quantity', 0.01, (value) => budget.canAfford(value as never)),
        ...estimatePositions('cost(request)', (request) => budget.canAfford(request as never))
          .slice(0, 5)
          .map((entry) => ({ ...entry, allowed: isAmount })),
        ...contextPositions('context', (context) => budget.canAfford(0.01, context as never)),
      ],
    },
    {
      name: 'budget.breakdown',
      positions: [
        position('options', 'object', {}, (value) => budget.breakdown(value as never)),
        position('options.by', 'array', ['model'], breakdownAt('by')),
        position('options.by[]', 'choice', 'projectId', breakdownAt('by.0')),
        position('options.from', 'day', new Date(NOW), breakdownAt('from')),
        position('options.to', 'day', '2026-11-30', breakdownAt('to')),
        position('options.days', 'count', 7, (value) => budget.breakdown({ days: value as number })),
        position('options.where', 'object', { userId: 'u.1@example.com' }, breakdownAt('where')),
        position('options.where.userId', 'id', 'u.1@example.com', breakdownAt('where.userId')),
        position('options.where.projectId', 'id', 'p-$1.{x}', breakdownAt('where.projectId')),
        position('options.where.provider', 'id', 'openai', breakdownAt('where.provider')),
        custom('options.where key', hostileKeyStrings, 'model', (key) =>
          budget.breakdown({ where: objectWithKey(key as string, 'x') as never }),
        ),
      ],
    },
    {
      name: 'budget.select',
      positions: [
        position('options', 'object', { service: 'llm' }, (value) => budget.select(value as never)),
        position('options.service', 'choice', 'embedding', selectAt('service')),
        position('options.strategy', 'choice', 'CHEAPEST_FIRST', selectAt('strategy')),
        position('options.providers', 'array', ['openai'], selectAt('providers')),
        position('options.providers[]', 'id', 'anthropic', (value) => selectAt('providers')([value])),
        position('options.minTier', 'count', 2, selectAt('minTier'), {
          values: fc.oneof(fc.constant(5), fc.constant(Number.NaN), fc.constant(-1), fc.constant('2')),
        }),
        position('options.estimatedTokens', 'count', 2_000, selectAt('estimatedTokens')),
        position('options.estimatedTokens.input', 'count', 2_000, selectAt('estimatedTokens.input')),
        position('options.estimatedTokens.output', 'count', 200, selectAt('estimatedTokens.output')),
        position('options.audioSeconds', 'quantity', 30, selectAt('audioSeconds')),
        position('options.characters', 'count', 500, selectAt('characters')),
        ...contextPositions('options.context', selectAt('context')),
      ],
    },
    {
      name: 'budget.downgradeFor',
      positions: [
        position('request', 'object', { provider: 'openai', model: 'gpt-4o' }, (value) =>
          budget.downgradeFor(value as never),
        ),
        position('request.provider', 'id', 'anthropic', downgradeAt('provider')),
        position('request.model', 'id', 'gpt-4o-2024-08-06', downgradeAt('model')),
        position('request.service', 'choice', 'llm', downgradeAt('service')),
        ...contextPositions('request.context', downgradeAt('context')),
      ],
    },
    {
      name: 'budget.whatIfSavings',
      positions: [
        position('options', 'object', {}, (value) => budget.whatIfSavings(value as never)),
        position('options.days', 'count', 7, (value) => budget.whatIfSavings({ days: value as number })),
      ],
    },
    {
      name: 'budget.recommendations',
      positions: [
        position('options', 'object', {}, (value) => budget.recommendations(value as never)),
        position('options.days', 'count', 7, (value) => budget.recommendations({ days: value as number })),
        ...contextPositions('options.context', (context) =>
          budget.recommendations({ context: context as never }),
        ),
      ],
    },
    {
      name: 'budget.withContext',
      positions: [
        ...contextPositions('context', (context) =>
          budget.withContext(context as never, () => gateThenRelease(GATE_REQUEST)),
        ),
        position(
          'fn',
          'function',
          () => 'ran',
          (value) => budget.withContext(LEGIT_CONTEXT, value as never),
        ),
      ],
    },
    {
      name: 'budget.strategy / checkAlerts',
      positions: [
        ...contextPositions('strategy(context)', (context) => budget.strategy(context as never)),
        ...contextPositions('checkAlerts(context)', (context) => budget.checkAlerts(context as never)),
      ],
    },
    {
      name: 'estimateCost',
      positions: estimatePositions('request', (request) => estimateCost(request as never)),
    },
    {
      name: 'createUsage',
      positions: usagePositions('input', (input) => createUsage(input as never)).filter(
        (entry) => !entry.field.includes('(Usage)'),
      ),
    },
    {
      name: 'PriceCatalog.setPrice',
      state: () => catalog.entries().length,
      positions: [
        position('price', 'object', PRICE, (value) => catalog.setPrice(value as never)),
        position('price.provider', 'id', 'acme.eu', priceAt('provider')),
        position('price.model', 'id', 'acme-2', priceAt('model')),
        position('price.service', 'choice', 'embedding', priceAt('service')),
        position('price.prices', 'object', { perRequest: 0.01 }, priceAt('prices')),
        position('price.prices.inputPerMTok', 'quantity', 0.5, priceAt('prices.inputPerMTok')),
        custom(
          'price.prices key',
          fc.oneof(
            hostileKeyStrings,
            fc.constantFrom('toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'input'),
          ),
          'perImage',
          (key) => catalog.setPrice({ ...PRICE, prices: objectWithKey(key as string, 1) as never }),
        ),
        position('price.prices.tiers', 'array', [], priceAt('prices.tiers')),
        position('price.prices.tiers[].aboveInputTokens', 'count', 200_000, (value) =>
          catalog.setPrice(
            withValue(PRICE, 'prices.tiers', [{ aboveInputTokens: value, prices: { inputPerMTok: 2 } }]),
          ),
        ),
        position('price.aliases', 'array', ['acme-latest'], priceAt('aliases')),
        position('price.aliases[]', 'id', 'acme.latest', (value) => priceAt('aliases')([value])),
        position('price.local', 'boolean', true, priceAt('local')),
        position('price.contextWindow', 'positive-count', 128_000, priceAt('contextWindow')),
        position('price.maxOutputTokens', 'positive-count', 4_096, priceAt('maxOutputTokens')),
        custom(
          'price.effectiveFrom',
          fc.constantFrom<unknown>('', 'soon', '$gt', 7, null, { $gt: '' }, new Date(NOW), Symbol('d')),
          '2026-01-01',
          priceAt('effectiveFrom'),
        ),
      ],
    },
    {
      name: 'PriceCatalog.resolve / new PriceCatalog',
      positions: [
        position('resolve(provider)', 'id', 'openai', (value) => catalog.resolve(value as string, 'gpt-4o')),
        position('resolve(model)', 'id', 'gpt-4o', (value) => catalog.resolve('openai', value as string)),
        position('resolve(at)', 'date', new Date(NOW), (value) =>
          catalog.resolve('openai', 'gpt-4o', value as Date),
        ),
        position('new PriceCatalog(options)', 'object', {}, (value) => new PriceCatalog(value as never)),
        position(
          'new PriceCatalog(options.prices)',
          'array',
          [PRICE],
          (value) => new PriceCatalog({ prices: value as never }),
        ),
      ],
    },
    {
      name: 'ModelRegistry.set',
      state: () => registry.list().length,
      positions: (() => {
        const entry = { provider: 'acme', model: 'acme-1', service: 'llm', tier: 2 };
        const at = (path: string) => (value: unknown) => registry.set(withValue(entry, path, value) as never);
        return [
          position('entry', 'object', entry, (value) => registry.set(value as never)),
          position('entry.provider', 'id', 'acme.eu', at('provider')),
          position('entry.model', 'id', 'acme-2', at('model')),
          position('entry.service', 'choice', 'tts', at('service')),
          position('entry.tier', 'count', 3, at('tier'), {
            values: fc.constantFrom<unknown>(0, 5, Number.NaN, -1, 2.5, '2', null, { $gt: 1 }),
          }),
        ];
      })(),
    },
    {
      name: 'contextWithDefaults',
      positions: contextPositions('defaults', (context) => contextWithDefaults(context as never)),
    },
    {
      name: 'getBudgetStatus / canAfford / recordUsage (module)',
      positions: [
        ...contextPositions('getBudgetStatus(context)', (context) => getBudgetStatus(context as never)),
        position('canAfford(cost)', 'quantity', 0.01, (value) => canAfford(value as never)),
        position('recordUsage(input)', 'object', undefined, (value) =>
          recordUsage(
            (value === undefined ? { ...RECORD_INPUT, requestId: freshRequestId() } : value) as never,
          ),
        ),
        position('recordUsage(input.model)', 'id', 'gpt-4o', (value) =>
          recordUsage({ ...RECORD_INPUT, requestId: freshRequestId(), model: value as string }),
        ),
        ...usagePositions('recordUsage(input.usage)', (usage) =>
          recordUsage({ ...RECORD_INPUT, requestId: freshRequestId(), usage: usage as never }),
        ),
      ],
    },
    {
      name: 'trackUsage (module)',
      positions: [
        position('input', 'object', undefined, (value) =>
          trackUsage(
            (value === undefined ? { ...RECORD_INPUT, requestId: freshRequestId() } : value) as never,
          ),
        ),
        position('input.provider', 'id', 'openai', (value) =>
          trackUsage({ ...RECORD_INPUT, requestId: freshRequestId(), provider: value as string }),
        ),
        position('input.requestId', 'id', undefined, (value) =>
          trackUsage({
            ...RECORD_INPUT,
            requestId: (value === undefined ? freshRequestId() : value) as string,
          }),
        ),
        ...usagePositions('input.usage', (usage) =>
          trackUsage({ ...RECORD_INPUT, requestId: freshRequestId(), usage: usage as never }),
        ),
        ...contextPositions('input.context', (context) =>
          trackUsage({ ...RECORD_INPUT, requestId: freshRequestId(), context: context as never }),
        ),
      ].map((entry) => ({ ...entry, refusal: 'false' as const })),
    },
    {
      name: 'setDefaultBudget',
      positions: [
        position(
          'budget',
          'object',
          budget,
          (value) => {
            try {
              setDefaultBudget(value as never);
              return getBudgetStatus();
            } finally {
              setDefaultBudget(budget);
            }
          },
          {
            values: fc.oneof(
              fc.constantFrom<unknown>({}, { $gt: '' }, { status: 'x' }, null, 'budget', 7, [], () => {}),
              fc.constant(new MemoryStore()),
            ),
          },
        ),
      ],
    },
  ];
}
