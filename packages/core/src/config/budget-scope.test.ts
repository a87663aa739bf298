import { describe, expect, it } from 'vitest';
import { createBudget, type TollgateWarning, ValidationError } from '../index';

const clock = () => Date.UTC(2026, 11, 20, 12);
const call = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1_000, maxOutputTokens: 100 };

function validationErrorOf(attempt: () => unknown): ValidationError {
  try {
    attempt();
  } catch (error) {
    if (ValidationError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('budget scopes', () => {
  it("refuses a misspelled built-in scope and suggests it: 'users' → 'user'", () => {
    const error = validationErrorOf(() =>
      createBudget({
        budgets: [{ id: 'per-user', limitUsd: 0.0001, period: 'day', scope: 'users' as never }],
      }),
    );
    expect(error.field).toBe('budgets[0].scope');
    expect(error.message).toBe(
      "Invalid budgets[0].scope: 'users' is not a scope (did you mean 'user'?); scopes are global, user, project, tag, or { attribute: 'name' } for a custom attribute of the call context",
    );
  });

  it('refuses a custom attribute given as a bare string, and says how to name it', () => {
    const error = validationErrorOf(() =>
      createBudget({ budgets: [{ id: 'per-tenant', limitUsd: 1, scope: 'tenant' as never }] }),
    );
    expect(error.message).toBe(
      "Invalid budgets[0].scope: 'tenant' is not a built-in scope (global, user, project, tag); for a custom attribute of the call context write scope: { attribute: 'tenant' }",
    );
  });

  it('refuses an attribute named like a built-in scope, and keys other than attribute', () => {
    expect(() => createBudget({ budgets: [{ id: 'b', limitUsd: 1, scope: { attribute: 'user' } }] })).toThrow(
      "Invalid budgets[0].scope.attribute: 'user' is a built-in scope: write scope: 'user'",
    );
    expect(() =>
      createBudget({ budgets: [{ id: 'b', limitUsd: 1, scope: { atribute: 'tenant' } as never }] }),
    ).toThrow("Invalid budgets[0].scope.atribute: is not an option (did you mean 'attribute'?)");
  });

  it('charges a custom attribute scope per value read from context.attributes', async () => {
    const budget = createBudget({
      budgets: [{ id: 'per-tenant', limitUsd: 1, period: 'day', scope: { attribute: 'tenant' } }],
      clock,
    });
    expect(budget.budgets[0]!.scope).toBe('tenant');
    const admission = await budget.withContext({ attributes: { tenant: 'acme' } }, () => budget.gate(call));
    await admission.settle({ usage: admission.estimate.usage });
    const [acme] = await budget.status({ attributes: { tenant: 'acme' } });
    expect(acme).toMatchObject({
      budgetId: 'per-tenant',
      scope: 'tenant:acme',
      usedNano: admission.reservedNano,
    });
    expect(await budget.status({ attributes: { tenant: 'other' } })).toMatchObject([{ usedNano: 0 }]);
  });

  it('applies a per-user budget to the calls that name a user (the 225× overspend of a typo cannot happen)', async () => {
    const warnings: TollgateWarning[] = [];
    const budget = createBudget({
      budgets: [{ id: 'per-user', limitUsd: 0.0001, period: 'day', scope: 'user' }],
      clock,
      onWarning: (warning) => warnings.push(warning),
    });
    await expect(budget.withContext({ userId: 'u-42' }, () => budget.gate(call))).rejects.toMatchObject({
      name: 'BudgetExceededError',
      budgetId: 'per-user',
      scopeKey: 'user:u-42',
    });
    expect(warnings).toEqual([]);
  });
});
