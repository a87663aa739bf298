import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { BudgetExceededError } from './budget-exceeded-error';
import { StorageUnavailableError } from './storage-unavailable-error';
import { TollgateError } from './tollgate-error';
import { validateCount, validateId } from './validation';
import { ValidationError } from './validation-error';

type ErrorClasses = {
  TollgateError: typeof TollgateError;
  ValidationError: typeof ValidationError;
  BudgetExceededError: typeof BudgetExceededError;
  StorageUnavailableError: typeof StorageUnavailableError;
};

const budgetDetails = {
  budgetId: 'app',
  scopeKey: 'app',
  neededNano: 5_500_000,
  availableNano: -20,
  alertLevel: 'CRITICAL',
  reason: 'over-budget',
} as const;

/** One error of each kind, made by the given copy of the classes. */
function makeErrors(classes: ErrorClasses) {
  return {
    base: new classes.TollgateError('something went wrong'),
    validation: new classes.ValidationError({ field: 'inputTokens', message: 'must not be negative' }),
    budget: new classes.BudgetExceededError(budgetDetails),
    storage: new classes.StorageUnavailableError('store timed out', { cause: new Error('ETIMEDOUT') }),
  };
}

const local: ErrorClasses = { TollgateError, ValidationError, BudgetExceededError, StorageUnavailableError };

function expectRecognised(checker: ErrorClasses, errors: ReturnType<typeof makeErrors>) {
  expect(checker.TollgateError.isInstance(errors.base)).toBe(true);
  expect(checker.TollgateError.isInstance(errors.validation)).toBe(true);
  expect(checker.TollgateError.isInstance(errors.budget)).toBe(true);
  expect(checker.TollgateError.isInstance(errors.storage)).toBe(true);

  expect(checker.ValidationError.isInstance(errors.validation)).toBe(true);
  expect(checker.ValidationError.isInstance(errors.base)).toBe(false);
  expect(checker.ValidationError.isInstance(errors.budget)).toBe(false);

  expect(checker.BudgetExceededError.isInstance(errors.budget)).toBe(true);
  expect(checker.BudgetExceededError.isInstance(errors.validation)).toBe(false);
  expect(checker.BudgetExceededError.isInstance(errors.base)).toBe(false);

  expect(checker.StorageUnavailableError.isInstance(errors.storage)).toBe(true);
  expect(checker.StorageUnavailableError.isInstance(errors.budget)).toBe(false);
}

describe('error classes', () => {
  it('have stable names', () => {
    const errors = makeErrors(local);
    expect(errors.base.name).toBe('TollgateError');
    expect(errors.validation.name).toBe('ValidationError');
    expect(errors.budget.name).toBe('BudgetExceededError');
    expect(errors.storage.name).toBe('StorageUnavailableError');
    expect(String(errors.validation)).toBe('ValidationError: Invalid inputTokens: must not be negative');
    for (const error of Object.values(errors)) {
      expect(error).toBeInstanceOf(Error);
      expect(error.stack).toContain(error.name);
    }
  });

  it('carry their details', () => {
    const { validation, budget, storage } = makeErrors(local);
    expect(validation.field).toBe('inputTokens');
    expect(budget).toMatchObject({
      budgetId: 'app',
      neededNano: 5_500_000,
      neededUsd: 0.0055,
      availableNano: -20,
      alertLevel: 'CRITICAL',
      reason: 'over-budget',
    });
    expect(budget.message).toBe(
      'Budget "app" (CRITICAL) refused a call costing up to $0.0055: only $0.00 is available.',
    );
    expect(
      new BudgetExceededError({
        ...budgetDetails,
        reason: 'per-call-cap',
        availableNano: 2_400_000_000,
        perCallCapNano: 10_000_000,
      }).message,
    ).toBe(
      'Budget "app" (CRITICAL) refused a call costing up to $0.0055: at CRITICAL a call must cost less than $0.01 ($2.40 is available).',
    );
    expect((storage.cause as Error).message).toBe('ETIMEDOUT');
  });

  it('recognise their own instances and subclasses, nothing else', () => {
    expectRecognised(local, makeErrors(local));
    const impostors: unknown[] = [
      new Error('plain'),
      Object.assign(new Error('named like one'), { name: 'ValidationError', field: 'x' }),
      { name: 'BudgetExceededError', message: 'a plain object' },
      { [Symbol.for('tollgate.error')]: false },
      { [Symbol('tollgate.error')]: true },
      'ValidationError',
      42,
      null,
      undefined,
    ];
    for (const value of impostors) {
      expect(TollgateError.isInstance(value)).toBe(false);
      expect(ValidationError.isInstance(value)).toBe(false);
      expect(BudgetExceededError.isInstance(value)).toBe(false);
      expect(StorageUnavailableError.isInstance(value)).toBe(false);
    }
  });

  it('never echo the rejected value', () => {
    const secret = 'sk-live-do-not-log-me';
    for (const call of [
      () => validateCount(secret, 'inputTokens'),
      () => validateId(`$${secret}`, 'model'),
    ]) {
      try {
        call();
        throw new Error('expected a ValidationError');
      } catch (error) {
        expect(ValidationError.isInstance(error)).toBe(true);
        expect((error as Error).message).not.toContain(secret);
      }
    }
  });

  it('are recognised across a second copy of the module', async () => {
    vi.resetModules();
    const copy: ErrorClasses = {
      ...(await import('./tollgate-error')),
      ...(await import('./validation-error')),
      ...(await import('./budget-exceeded-error')),
      ...(await import('./storage-unavailable-error')),
    };
    expect(copy.ValidationError).not.toBe(ValidationError);
    const foreign = makeErrors(copy);
    expect(foreign.validation).not.toBeInstanceOf(ValidationError);
    expectRecognised(local, foreign);
    expectRecognised(copy, makeErrors(local));
  });

  describe('across the built CommonJS and ESM copies of the package', () => {
    const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
    const load = async () => {
      if (!existsSync(`${dist}index.cjs`) || !existsSync(`${dist}index.js`)) {
        throw new Error('packages/core/dist is missing: run `pnpm --filter @tollgate/core build` first');
      }
      const cjs = createRequire(import.meta.url)(`${dist}index.cjs`) as ErrorClasses;
      const esm = (await import(/* @vite-ignore */ `${dist}index.js`)) as ErrorClasses;
      return { cjs, esm };
    };

    it('are separate classes, so instanceof fails between them', async () => {
      const { cjs, esm } = await load();
      expect(cjs.ValidationError).not.toBe(esm.ValidationError);
      expect(makeErrors(cjs).validation).not.toBeInstanceOf(esm.ValidationError);
      expect(makeErrors(esm).budget).not.toBeInstanceOf(cjs.BudgetExceededError);
    });

    it('recognise one another with isInstance, in every direction', async () => {
      const { cjs, esm } = await load();
      const copies = [local, cjs, esm];
      for (const maker of copies) for (const checker of copies) expectRecognised(checker, makeErrors(maker));
    });

    it('keep the same names', async () => {
      const { cjs, esm } = await load();
      for (const copy of [cjs, esm]) {
        const errors = makeErrors(copy);
        expect([errors.base.name, errors.validation.name, errors.budget.name, errors.storage.name]).toEqual([
          'TollgateError',
          'ValidationError',
          'BudgetExceededError',
          'StorageUnavailableError',
        ]);
      }
    });

    it('recognise validation errors thrown by another copy', async () => {
      const { cjs } = await load();
      const catalog = new (
        cjs as unknown as { PriceCatalog: new () => { resolve(provider: string, model: string): unknown } }
      ).PriceCatalog();
      try {
        catalog.resolve('', 'gpt-4o');
        throw new Error('expected a ValidationError');
      } catch (error) {
        expect(ValidationError.isInstance(error)).toBe(true);
        expect(TollgateError.isInstance(error)).toBe(true);
        expect(error).not.toBeInstanceOf(ValidationError);
        expect((error as ValidationError).field).toBe('provider');
      }
    });
  });
});
