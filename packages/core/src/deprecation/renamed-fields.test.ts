import { describe, expect, it } from 'vitest';
import { BudgetExceededError, createBudget, createUsage, usdToNano } from '../index';
import { RENAMED_FIELD_WARNING_CODE } from './renamed-fields';

const clock = () => Date.UTC(2026, 11, 20, 12);

/** The process warnings `read` emits, after the turn in which Node delivers them. */
async function warningsOf(read: () => Promise<void> | void): Promise<(Error & { code?: string })[]> {
  const warnings: (Error & { code?: string })[] = [];
  const listen = (warning: Error) => warnings.push(warning);
  process.on('warning', listen);
  try {
    await read();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listen);
  }
  return warnings;
}

describe('renamed amounts', () => {
  it('keep their old names for one minor version, each warning once, and out of JSON', async () => {
    const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 2 }], clock });
    await budget.recordUsage({
      provider: 'openai',
      model: 'gpt-4o-mini',
      usage: createUsage({ inputTokens: 1_000_000 }),
    });
    const [status] = await budget.status();
    const admission = await budget.gate({ provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1_000 });
    let old: unknown[] = [];
    const warnings = await warningsOf(() => {
      old = [
        status!.total,
        status!.used,
        status!.remaining,
        status!.reserved,
        status!.projectedCost,
        status!.nano.used,
        status!.projection.projected,
        admission.reserved,
        admission.estimate.cost,
      ];
      // Read again: no second warning.
      void [status!.total, status!.nano.limit, admission.reserved];
    });
    expect(old).toEqual([
      status!.limitUsd,
      status!.usedUsd,
      status!.remainingUsd,
      status!.reservedUsd,
      status!.projectedUsd,
      status!.usedNano,
      status!.projectedNano,
      admission.reservedNano,
      admission.estimate.costNano,
    ]);
    expect(old.slice(0, 2)).toEqual([2, 0.15]);
    expect(warnings.map((warning) => [warning.name, warning.code, warning.message])).toEqual([
      [
        'DeprecationWarning',
        RENAMED_FIELD_WARNING_CODE,
        'BudgetStatus.total is deprecated and will be removed in the next minor version: use limitUsd.',
      ],
      [
        'DeprecationWarning',
        RENAMED_FIELD_WARNING_CODE,
        'BudgetStatus.used is deprecated and will be removed in the next minor version: use usedUsd.',
      ],
      [
        'DeprecationWarning',
        RENAMED_FIELD_WARNING_CODE,
        'BudgetStatus.remaining is deprecated and will be removed in the next minor version: use remainingUsd.',
      ],
      [
        'DeprecationWarning',
        RENAMED_FIELD_WARNING_CODE,
        'BudgetStatus.reserved is deprecated and will be removed in the next minor version: use reservedUsd.',
      ],
      [
        'DeprecationWarning',
        RENAMED_FIELD_WARNING_CODE,
        'BudgetStatus.projectedCost is deprecated and will be removed in the next minor version: use projectedUsd.',
      ],
      [
        'DeprecationWarning',
        RENAMED_FIELD_WARNING_CODE,
        'BudgetStatus.nano is deprecated and will be removed in the next minor version: use limitNano, usedNano, remainingNano, reservedNano and projectedNano.',
      ],
      [
        'DeprecationWarning',
        RENAMED_FIELD_WARNING_CODE,
        'Projection.projected is deprecated and will be removed in the next minor version: use projectedNano.',
      ],
      [
        'DeprecationWarning',
        RENAMED_FIELD_WARNING_CODE,
        'Admission.reserved is deprecated and will be removed in the next minor version: use reservedNano.',
      ],
      [
        'DeprecationWarning',
        RENAMED_FIELD_WARNING_CODE,
        'Estimate.cost is deprecated and will be removed in the next minor version: use costNano.',
      ],
    ]);
    const json = JSON.parse(JSON.stringify(status));
    expect(Object.keys(json)).not.toContain('total');
    expect(Object.keys(json)).not.toContain('nano');
    expect(json).toMatchObject({
      limitUsd: 2,
      usedNano: usdToNano(0.15),
      percentageUsed: 7.5,
      usedRatio: 0.075,
    });
  });

  it('keep a refusal’s needed and available', async () => {
    const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 0.001 }], clock });
    const error = await budget
      .gate({ provider: 'openai', model: 'gpt-4o', inputTokens: 1_000, maxOutputTokens: 1_000 })
      .catch((caught: unknown) => caught);
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    const refusal = error as BudgetExceededError;
    let old: number[] = [];
    const warnings = await warningsOf(() => {
      old = [refusal.needed, refusal.available, refusal.needed];
    });
    expect(old).toEqual([refusal.neededNano, refusal.availableNano, refusal.neededNano]);
    expect(refusal).toMatchObject({ neededUsd: 0.0125, availableUsd: 0.001 });
    expect(warnings.map((warning) => warning.message)).toEqual([
      'BudgetExceededError.needed is deprecated and will be removed in the next minor version: use neededNano.',
      'BudgetExceededError.available is deprecated and will be removed in the next minor version: use availableNano.',
    ]);
  });
});

describe('percentageUsed', () => {
  it('is rounded to 0.01 for display, with the exact ratio beside it', async () => {
    const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 30 }], clock });
    // $0.0000393 of $30: 0.000131 % unrounded, the float noise the issue saw.
    await budget.recordUsage({
      provider: 'openai',
      model: 'gpt-4o-mini',
      usage: createUsage({ inputTokens: 262 }),
    });
    const [status] = await budget.status();
    expect(status!.usedNano).toBe(39_300);
    expect(status!.percentageUsed).toBe(0);
    expect(status!.usedRatio).toBe(39_300 / usdToNano(30));
    await budget.recordUsage({
      provider: 'openai',
      model: 'gpt-4o-mini',
      usage: createUsage({ inputTokens: 2_000_000 }),
    });
    const [later] = await budget.status();
    expect(later!.percentageUsed).toBe(1);
    expect(later!.usedRatio).toBeCloseTo(0.01000131, 10);
  });
});
