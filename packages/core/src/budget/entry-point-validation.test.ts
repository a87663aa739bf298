import { describe, expect, it } from 'vitest';
import { PriceCatalog } from '../catalog/price-catalog';
import { canAfford, estimateCost, setDefaultBudget } from '../default-budget';
import { ValidationError } from '../errors/validation-error';
import { MemoryStore } from '../store/memory-store';
import { ModelRegistry } from '../strategy/model-registry';
import { createUsage } from '../usage';
import { createBudget } from './budget-manager';

// Values a caller can get wrong at each public entry point, found by the hostile-input
// fuzzing in reliability/src/hostile-input: each is a ValidationError, before anything
// is reserved or written.
const NOW = Date.UTC(2026, 10, 29, 12);
const clock = () => NOW;
const call = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 100, maxOutputTokens: 100 };

async function refusal(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}

async function expectValidationError(run: () => unknown, field?: string) {
  const error = await refusal(run);
  expect(ValidationError.isInstance(error), String(error)).toBe(true);
  if (field !== undefined) expect((error as ValidationError).field).toBe(field);
}

function budgetInMemory() {
  const store = new MemoryStore();
  return { store, budget: createBudget({ store, clock }) };
}

describe('usage handed in', () => {
  const forged = (change: (usage: Record<string, any>) => void) => {
    const usage = structuredClone(createUsage({ inputTokens: 10, outputTokens: 10 })) as Record<string, any>;
    change(usage);
    return usage as never;
  };

  it('refuses a forged Usage in recordUsage: negative, non-numeric, or a total that is not the sum', async () => {
    const { budget } = budgetInMemory();
    const record = (usage: never) => budget.recordUsage({ provider: 'openai', model: 'gpt-4o', usage });
    await expectValidationError(() => record(forged((u) => (u.input.noCache = -1_000_000_000))));
    await expectValidationError(() => record(forged((u) => (u.output.total = '10'))));
    await expectValidationError(() => record(forged((u) => (u.input.total = 3))), 'usage.input.total');
    await expectValidationError(() => record(forged((u) => (u.specificationVersion = 'v2'))));
    await expectValidationError(() => record(null as never), 'usage');
    expect((await budget.status())[0]!.usedNano).toBe(0);
  });

  it('a Usage from createUsage cannot be changed afterwards, so settling takes it as it was checked', async () => {
    const usage = createUsage({ inputTokens: 10, outputTokens: 10 });
    expect(() => {
      (usage.input as { total: number }).total = 3;
    }).toThrow(TypeError);
    expect(() => {
      (usage as { images: number }).images = Number.NaN;
    }).toThrow(TypeError);
    const { budget } = budgetInMemory();
    const admission = await budget.gate(call);
    const settled = await admission.settle({ usage });
    expect(settled.record).toMatchObject({ inputTokens: 10, outputTokens: 10 });
  });

  it('refuses a null count instead of reading it as 0', async () => {
    expect(() => createUsage({ outputTokens: null as never })).toThrow(ValidationError);
    expect(() => createUsage(null as never)).toThrow(ValidationError);
    expect(() => createUsage([] as never)).toThrow(ValidationError);
  });

  it('refuses a bad settle and leaves the admission open to release', async () => {
    const { budget } = budgetInMemory();
    const admission = await budget.gate(call);
    await expectValidationError(() => admission.settle({ usage: forged((u) => (u.images = Number.NaN)) }));
    await expectValidationError(() => admission.settle(null as never), 'input');
    await expectValidationError(() => admission.settle({ usage: { inputTokens: 10 } as never }), 'usage');
    expect((await budget.status())[0]!.reservedNano).toBe(admission.reservedNano);
    await admission.release();
    expect((await budget.status())[0]!).toMatchObject({ reservedNano: 0, usedNano: 0 });
  });

  it('checks reportUsage inside guard, so that the hold is given back', async () => {
    const { budget } = budgetInMemory();
    await expectValidationError(() =>
      budget.guard(call, async (report) => report.reportUsage({ inputTokens: -1 })),
    );
    await expectValidationError(() =>
      budget.guard(call, async (report) => report.reportUsage({ inputTokens: 1 }, { requestId: '$gt' })),
    );
    expect((await budget.status())[0]!).toMatchObject({ reservedNano: 0, usedNano: 0 });
  });
});

describe('call options', () => {
  it('refuses a guard whose function is not a function before reserving', async () => {
    const store = new MemoryStore();
    let reserved = 0;
    const reserve = store.reserve.bind(store);
    store.reserve = (request) => {
      reserved += 1;
      return reserve(request);
    };
    const budget = createBudget({ store, clock });
    await expectValidationError(() => budget.guard(call, 'run' as never), 'fn');
    expect(reserved).toBe(0);
  });

  it('checks minOutputTokens and at even when the call fits', async () => {
    const { budget } = budgetInMemory();
    await expectValidationError(
      () => budget.gate({ ...call, minOutputTokens: Number.NaN }),
      'minOutputTokens',
    );
    await expectValidationError(() => budget.gate({ ...call, at: new Date(Number.NaN) }), 'at');
    await expectValidationError(() => budget.gate({ ...call, audioSeconds: Number.NaN }), 'audioSeconds');
    await expectValidationError(() => budget.gate({ ...call, onInsufficientBudget: null as never }));
  });

  it('refuses options that are not objects, and arrays where arrays belong', async () => {
    const { budget } = budgetInMemory();
    await expectValidationError(() => budget.gate(null as never), 'request');
    await expectValidationError(() => budget.recordUsage(null as never), 'input');
    await expectValidationError(() => budget.breakdown(null as never), 'options');
    await expectValidationError(() => budget.breakdown({ by: 'provider' as never }), 'by');
    await expectValidationError(() => budget.breakdown({ where: 'x' as never }), 'where');
    await expectValidationError(() => budget.breakdown({ days: null as never }), 'days');
    await expectValidationError(() => budget.whatIfSavings(null as never), 'options');
    await expectValidationError(() => budget.recommendations([] as never), 'options');
    await expectValidationError(() => budget.select(null as never), 'options');
    await expectValidationError(
      () => budget.select({ service: 'llm', providers: 'openai' as never }),
      'providers',
    );
    await expectValidationError(() => budget.select({ service: 'llm', estimatedTokens: '$gt' as never }));
    await expectValidationError(() =>
      budget.select({ service: 'llm', estimatedTokens: { output: 5 } as never }),
    );
    await expectValidationError(() => budget.withContext({ userId: 'u' }, 'fn' as never), 'fn');
    // The arrow forgotten: the call ran before withContext could give it a context.
    expect(() => budget.withContext({ userId: 'u' }, Promise.resolve(1) as never)).toThrow(
      /got a promise: the call already ran, outside the context; pass it as a function/,
    );
    await expectValidationError(() => budget.canAfford(null as never), 'request');
  });

  it('checks the model of downgradeFor at every alert level, not only when downgrading', async () => {
    const { budget } = budgetInMemory();
    await expectValidationError(() =>
      budget.downgradeFor({ provider: { $gt: '' } as never, model: 'gpt-4o' }),
    );
    await expectValidationError(() =>
      budget.downgradeFor({ provider: 'openai', model: 'gpt-4o', service: 'x' as never }),
    );
  });
});

describe('createBudget options', () => {
  it('refuses options of the wrong shape when the budget is created, not on first use', async () => {
    const refuse = (options: unknown, field: string) =>
      expectValidationError(() => createBudget(options as never), field);
    await refuse(null, 'options');
    await refuse({ store: {} }, 'store.specificationVersion');
    await refuse({ store: { specificationVersion: 'v1' } }, 'store.specificationVersion');
    await refuse({ store: { specificationVersion: 'v2' } }, 'store.reserve');
    const { readBudgets: _, ...withoutReadBudgets } = Object.fromEntries(
      ['reserve', 'commit', 'release', 'readCounters', 'readDailySpend', 'queryRollups', 'getRecord']
        .concat(['readRecords', 'listCounters', 'saveBudgets', 'readBudgets', 'close'])
        .map((method) => [method, () => Promise.resolve()]),
    );
    await refuse({ store: { specificationVersion: 'v2', ...withoutReadBudgets } }, 'store.readBudgets');
    await refuse({ prices: { $gt: '' } }, 'prices.$gt');
    await refuse({ prices: 'cheap' }, 'prices');
    await refuse({ catalog: { $gt: '' } }, 'catalog');
    await refuse({ onAlert: '$where' }, 'onAlert');
    await refuse({ clock: 'now' }, 'clock');
    await refuse({ failOpen: null }, 'failOpen');
    await refuse({ usageBuffer: { maxEntries: Number.NaN } }, 'usageBuffer.maxEntries');
    await refuse({ usageBuffer: { maxEntries: 0 } }, 'usageBuffer.maxEntries');
    await refuse({ usageBuffer: () => {} }, 'usageBuffer');
    await refuse({ models: 7 }, 'models');
    await refuse({ leaseMs: null }, 'leaseMs');
    await refuse({ reportTimeZone: { toString: () => 'UTC' } }, 'reportTimeZone');
    await refuse({ budgets: [{ id: 'a', limitUsd: 1, thresholds: 'abc' }] }, 'budgets[0].thresholds');
    await refuse({ budgets: [{ id: 'a', limitUsd: 1, perCallCapsUsd: ['x'] }] }, 'budgets[0].perCallCapsUsd');
    await refuse({ budgets: [{ id: 'a', limitUsd: 1, period: null }] }, 'budgets[0].period');
  });

  it('still takes false for perCallCapsUsd and usageBuffer', () => {
    expect(() =>
      createBudget({ budgets: [{ id: 'a', limitUsd: 1, perCallCapsUsd: false }], usageBuffer: false }),
    ).not.toThrow();
  });

  it('does not read a custom scope named like an Object.prototype member from the prototype', async () => {
    const budget = createBudget({
      budgets: [{ id: 'team', limitUsd: 1, scope: { attribute: 'toString' } }],
      clock,
      onWarning: () => {},
    });
    expect(await budget.status({ userId: 'u' })).toEqual([]);
    const admission = await budget.gate(call);
    expect(admission.reservedNano).toBe(0);
  });
});

describe('module-level functions and catalogs', () => {
  it('refuses a default budget that is not one', async () => {
    await expectValidationError(() => setDefaultBudget({ $gt: '' } as never), 'budget');
    await expectValidationError(() => setDefaultBudget(new MemoryStore() as never), 'budget');
    await expectValidationError(() => estimateCost(null as never), 'request');
    await expectValidationError(() => canAfford(undefined as never), 'request');
  });

  it('refuses price fields named like Object.prototype members, without echoing a long name', () => {
    const catalog = new PriceCatalog();
    const priced = (prices: object) => () =>
      catalog.setPrice({ provider: 'acme', model: 'acme-1', prices: prices as never });
    expect(priced({ toString: 1 })).toThrow(ValidationError);
    expect(priced(JSON.parse('{"constructor": 1}'))).toThrow(ValidationError);
    expect(priced(JSON.parse('{"__proto__": 1}'))).toThrow(ValidationError);
    const long = 'k'.repeat(5_000);
    expect(priced({ [long]: 1 })).toThrow(
      /^Invalid price\(acme\/acme-1\)\.k{64}…: is not a known price field$/,
    );
    expect(() =>
      catalog.setPrice({ provider: 'acme', model: 'acme-1', prices: {}, local: 'yes' as never }),
    ).toThrow(ValidationError);
    expect(() => new PriceCatalog({ prices: { $gt: '' } as never })).toThrow(ValidationError);
    expect(() => new PriceCatalog(null as never)).toThrow(ValidationError);
  });

  it('refuses a model registry entry that is not an object', () => {
    expect(() => new ModelRegistry().set(null as never)).toThrow(ValidationError);
    expect(() => new ModelRegistry({ $gt: '' } as never)).toThrow(ValidationError);
  });
});
