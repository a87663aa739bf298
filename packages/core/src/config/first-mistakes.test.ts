import { describe, expect, it } from 'vitest';
import { createBudget, ValidationError } from '../index';

/** What a new user most often gets wrong in `createBudget`, and what they read. */
function messageOf(attempt: () => unknown): string {
  try {
    attempt();
  } catch (error) {
    expect(ValidationError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a ValidationError');
}

describe('createBudget names what was meant', () => {
  it('`limit` for `limitUsd`', () => {
    expect(messageOf(() => createBudget({ budgets: [{ id: 'app', limit: 30 } as never] }))).toContain(
      "Invalid budgets[0].limit: is not an option (did you mean 'limitUsd'?)",
    );
  });

  it("`period: 'monthly'` for 'month'", () => {
    expect(
      messageOf(() => createBudget({ budgets: [{ id: 'app', limitUsd: 30, period: 'monthly' as never }] })),
    ).toBe("Invalid budgets[0].period: must be one of day, week, month, total (did you mean 'month'?)");
  });

  it("`period: 'daily'` for 'day', which no spelling rule finds", () => {
    expect(
      messageOf(() => createBudget({ budgets: [{ id: 'app', limitUsd: 30, period: 'daily' as never }] })),
    ).toBe("Invalid budgets[0].period: must be one of day, week, month, total (did you mean 'day'?)");
  });

  it('a mistyped time zone', () => {
    expect(
      messageOf(() => createBudget({ budgets: [{ id: 'app', limitUsd: 30, timeZone: 'Europe/Pari' }] })),
    ).toBe(
      `Invalid budgets[0].timeZone: must be an IANA time zone such as "Europe/Paris" or "UTC" (did you mean 'Europe/Paris'?)`,
    );
    expect(messageOf(() => createBudget({ reportTimeZone: 'America/New York' }))).toContain(
      "(did you mean 'America/New_York'?)",
    );
  });

  it('a threshold written as a percentage', () => {
    const withThresholds = (thresholds: object) => () =>
      createBudget({ budgets: [{ id: 'app', limitUsd: 30, thresholds }] });
    expect(messageOf(withThresholds({ yellow: 50 }))).toBe(
      'Invalid budgets[0].thresholds.yellow: must be at most 10, got 50: thresholds are fractions of the limit (0.5 for 50%)',
    );
    expect(messageOf(withThresholds({ yellow: 5 }))).toBe(
      'Invalid budgets[0].thresholds: must increase from yellow to critical (yellow 5, orange 0.75, red 0.9, critical 1): thresholds are fractions of the limit (0.5 for 50%)',
    );
    expect(messageOf(withThresholds({ yellow: 0.8 }))).toBe(
      'Invalid budgets[0].thresholds: must increase from yellow to critical (yellow 0.8, orange 0.75, red 0.9, critical 1)',
    );
    expect(messageOf(withThresholds({ critical: Number.POSITIVE_INFINITY }))).toBe(
      'Invalid budgets[0].thresholds.critical: must be finite',
    );
    expect(() => withThresholds({ yellow: 0.5, orange: 0.8, red: 1, critical: 1.2 })()).not.toThrow();
  });

  it('a connection string as the store', () => {
    expect(messageOf(() => createBudget({ store: 'sqlite:./tollgate.db' as never }))).toContain(
      'Invalid store: must be a store object, such as new SqliteStore',
    );
  });
});

describe('a gate request without a provider', () => {
  it('names the provider that prices the model, without echoing the model', async () => {
    const budget = createBudget();
    const refusal = await budget.gate({ model: 'gpt-4o', text: 'Hello' } as never).then(
      () => undefined,
      (error: unknown) => error as ValidationError,
    );
    expect(ValidationError.isInstance(refusal)).toBe(true);
    expect(refusal!.field).toBe('provider');
    expect(refusal!.message).toBe(
      "Invalid provider: is required: the provider whose prices apply (this model's is 'openai')",
    );
  });

  it('lists the usual providers when the model tells none', () => {
    expect(() => createBudget().estimate({ model: 'my-own-model' } as never)).toThrow(
      "Invalid provider: is required: the provider whose prices apply ('openai', 'anthropic', 'mistral', 'google'…)",
    );
  });
});
