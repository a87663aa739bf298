import { describe, expect, it } from 'vitest';
import { createBudget } from '../budget/budget-manager';

const NOW = Date.UTC(2026, 11, 20, 10, 0, 0);
const clock = () => NOW;

describe('canAfford', () => {
  it('says what a call needs and what is available in the money format of every other message', async () => {
    const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 10 }], clock });
    await budget.recordUsage({ provider: 'openai', model: 'gpt-4o', usage: { outputTokens: 400_000 } }); // $4
    expect(await budget.canAfford(210)).toEqual({
      affordable: false,
      budgetId: 'app',
      alertLevel: 'GREEN',
      reason: 'needs $210.00, $6.00 available',
    });
  });

  it('names the per-call cap in dollars', async () => {
    const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 10 }], clock });
    await budget.recordUsage({ provider: 'openai', model: 'gpt-4o', usage: { outputTokens: 920_000 } });
    expect(await budget.canAfford(0.06)).toEqual({
      affordable: false,
      budgetId: 'app',
      alertLevel: 'RED',
      reason: 'at RED a call must cost less than $0.05',
    });
  });
});
