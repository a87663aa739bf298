import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BudgetConfig, type BudgetScope, normalizeBudget } from '../config/budget-config';
import { ValidationError } from '../errors/validation-error';
import { budgetConfigOf, budgetDefinitionOf, validateBudgetDefinition } from './budget-definition';

const configArbitrary: fc.Arbitrary<BudgetConfig> = fc.record(
  {
    id: fc.constantFrom('app', 'per-user', 'daily-team'),
    limitUsd: fc.oneof(
      fc.integer({ min: 0, max: 1_000_000 }),
      fc.integer({ min: 0, max: 1_000_000_000_000_000 }).map((nano) => nano / 1e9),
      // A limit is 0 or at least one nano-USD: what lies between is refused.
      fc.oneof(fc.constant(0), fc.double({ min: 1e-9, max: 1_000_000, noNaN: true })),
    ),
    period: fc.constantFrom('day', 'week', 'month', 'total'),
    timeZone: fc.constantFrom('UTC', 'Europe/Paris', 'Pacific/Chatham'),
    scope: fc.constantFrom<BudgetScope>('global', 'user', 'project', 'tag', { attribute: 'tenant' }),
    scopeValue: fc.constantFrom('u-42', 'search'),
    thresholds: fc.record(
      { yellow: fc.constantFrom(0.3, 0.5), red: fc.constantFrom(0.9, 0.95) },
      { requiredKeys: [] },
    ),
    bufferPercent: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true })),
    perCallCapsUsd: fc.oneof(
      fc.constant(false as const),
      fc.record(
        { red: fc.double({ min: 0, max: 10, noNaN: true }), critical: fc.constantFrom(0, 0.01, 0.003) },
        {
          requiredKeys: [],
        },
      ),
    ),
  },
  { requiredKeys: ['id', 'limitUsd'] },
);

describe('budget definitions', () => {
  it('a saved definition gives back the budget the app defined, to the nano-USD', () => {
    fc.assert(
      fc.property(configArbitrary, (config) => {
        const budget = normalizeBudget(config, 0);
        const definition = budgetDefinitionOf(budget);
        expect(normalizeBudget(budgetConfigOf(definition), 0)).toEqual(budget);
        // As a store would keep it: plain JSON, checked when read back.
        const stored = validateBudgetDefinition(JSON.parse(JSON.stringify(definition)), 'definition');
        expect(stored).toEqual(definition);
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps a cap at one level only, and no caps at all', () => {
    const redOnly = normalizeBudget(
      { id: 'a', limitUsd: 1, perCallCapsUsd: { red: 0.2, critical: undefined } },
      0,
    );
    expect(budgetDefinitionOf(redOnly).perCallCapsNano).toEqual({ red: 200_000_000 });
    expect(normalizeBudget(budgetConfigOf(budgetDefinitionOf(redOnly)), 0).perCallCapsNano).toEqual({
      RED: 200_000_000,
    });
    const none = normalizeBudget({ id: 'a', limitUsd: 1, perCallCapsUsd: false }, 0);
    expect(budgetConfigOf(budgetDefinitionOf(none)).perCallCapsUsd).toBe(false);
  });

  it('refuses a definition that is not one, naming the field', () => {
    const valid = budgetDefinitionOf(normalizeBudget({ id: 'app', limitUsd: 30 }, 0));
    const refusals: [unknown, string][] = [
      [null, 'definition'],
      [{ ...valid, id: '$where' }, 'definition.id'],
      [{ ...valid, limitNano: 1.5 }, 'definition.limitNano'],
      [{ ...valid, limitNano: -1 }, 'definition.limitNano'],
      [{ ...valid, limitNano: 2e15 }, 'definition.limitNano'],
      [{ ...valid, period: 'year' }, 'definition.period'],
      [{ ...valid, timeZone: 'Mars/Olympus' }, 'definition.timeZone'],
      [{ ...valid, scope: { $ne: '' } }, 'definition.scope'],
      [
        { ...valid, thresholds: { yellow: 0.9, orange: 0.5, red: 0.95, critical: 1 } },
        'definition.thresholds',
      ],
      [{ ...valid, bufferNano: valid.limitNano + 1 }, 'definition.bufferNano'],
      [{ ...valid, perCallCapsNano: { red: '5' } }, 'definition.perCallCapsNano.red'],
      [{ ...valid, perCallCapsNano: null }, 'definition.perCallCapsNano'],
    ];
    for (const [value, field] of refusals) {
      try {
        validateBudgetDefinition(value, 'definition');
        expect.unreachable(`accepted ${JSON.stringify(value)}`);
      } catch (error) {
        expect(ValidationError.isInstance(error)).toBe(true);
        expect((error as ValidationError).field).toBe(field);
      }
    }
  });

  it('drops fields a definition does not have', () => {
    const valid = budgetDefinitionOf(normalizeBudget({ id: 'app', limitUsd: 30 }, 0));
    expect(validateBudgetDefinition({ ...valid, $set: { limitNano: 0 }, note: 'x' }, 'd')).toEqual(valid);
  });
});
