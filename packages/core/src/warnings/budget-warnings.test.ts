import { describe, expect, it } from 'vitest';
import { createBudget, TollgateWarning, ValidationError, WARNING_CODES } from '../index';

describe('createBudget onWarning and strict', () => {
  it('hands each warning raised on the budget to onWarning, once per code and subject', () => {
    const received: TollgateWarning[] = [];
    const budget = createBudget({ onWarning: (warning) => received.push(warning) });
    budget.warnings.warn('TOLLGATE_UNPRICED_MODEL', 'gpt-9', 'gpt-9 is not in the catalog');
    budget.warnings.warn('TOLLGATE_UNPRICED_MODEL', 'gpt-9', 'gpt-9 is not in the catalog');
    expect(received).toHaveLength(1);
    expect(TollgateWarning.isInstance(received[0])).toBe(true);
    expect(received[0]).toMatchObject({ code: 'TOLLGATE_UNPRICED_MODEL', subject: 'gpt-9' });
  });

  it('throws the warning when strict', () => {
    const received: TollgateWarning[] = [];
    const budget = createBudget({ strict: true, onWarning: (warning) => received.push(warning) });
    expect(() => budget.warnings.warn('TOLLGATE_UNKNOWN_PROVIDER', 'grok', 'grok is unknown')).toThrow(
      expect.objectContaining({ name: 'TollgateWarning', code: 'TOLLGATE_UNKNOWN_PROVIDER' }),
    );
    expect(received).toEqual([]);
  });

  it('keeps one channel per budget: a warning on one is not swallowed by another', () => {
    const first: string[] = [];
    const second: string[] = [];
    const one = createBudget({ onWarning: (warning) => first.push(warning.subject) });
    const two = createBudget({ onWarning: (warning) => second.push(warning.subject) });
    one.warnings.warn('TOLLGATE_MISSING_CONTEXT', 'per-user', 'no user');
    two.warnings.warn('TOLLGATE_MISSING_CONTEXT', 'per-user', 'no user');
    expect([first, second]).toEqual([['per-user'], ['per-user']]);
  });

  it('refuses an onWarning that is not a function and a strict that is not a boolean', () => {
    expect(() => createBudget({ onWarning: 'log' as never })).toThrow(ValidationError);
    expect(() => createBudget({ onWarning: 'log' as never })).toThrow(/onWarning/);
    expect(() => createBudget({ strict: 'yes' as never })).toThrow(/Invalid strict/);
  });

  it('exports the codes an app can filter on', () => {
    expect(WARNING_CODES).toContain('TOLLGATE_MISSING_CONTEXT');
    expect(WARNING_CODES).toContain('TOLLGATE_SETTLE');
  });
});
