import { describe, expect, it } from 'vitest';
import { createBudget } from '../budget/budget-manager';
import { ValidationError } from '../errors/validation-error';
import { MemoryStore } from '../store/memory-store';

const NOW = Date.UTC(2026, 11, 20, 10, 0, 0);

async function budgetWithUsers() {
  const budget = createBudget({
    store: new MemoryStore(),
    clock: () => NOW,
    budgets: [
      { id: 'app', limitUsd: 30 },
      { id: 'per-user', limitUsd: 2, period: 'day', scope: 'user' },
      { id: 'per-tag', limitUsd: 5, period: 'week', scope: 'tag' },
    ],
  });
  const calls: [string, string[], number][] = [
    ['u-3', ['beta'], 1_000_000],
    ['u-1', [], 2_000_000],
    ['u-2', ['beta', 'eu'], 3_000_000],
    ['u-1', [], 1_000_000],
  ];
  for (const [userId, tags, inputTokens] of calls)
    await budget.recordUsage({
      provider: 'openai',
      model: 'gpt-4o-mini',
      usage: { inputTokens },
      context: { userId, tags },
    });
  return budget;
}

describe('budget.scopeStatuses', () => {
  it('lists every scope value with spend in the current period, a page at a time', async () => {
    const budget = await budgetWithUsers();
    const first = await budget.scopeStatuses({ budgetId: 'per-user', limit: 2 });
    // gpt-4o-mini input: $0.15 per million tokens.
    expect(
      first.statuses.map((status) => [status.scope, status.usedUsd, status.limitUsd, status.periodKey]),
    ).toEqual([
      ['user:u-1', 0.45, 2, 'day:2026-12-20'],
      ['user:u-2', 0.45, 2, 'day:2026-12-20'],
    ]);
    expect(first.next).toBe('user:u-2');
    const second = await budget.scopeStatuses({ budgetId: 'per-user', limit: 2, after: first.next! });
    expect(second.statuses.map((status) => [status.scope, status.usedUsd])).toEqual([['user:u-3', 0.15]]);
    expect(second.next).toBeUndefined();
    const tags = await budget.scopeStatuses({ budgetId: 'per-tag' });
    expect(tags.statuses.map((status) => [status.scope, status.usedUsd])).toEqual([
      ['tag:beta', 0.6],
      ['tag:eu', 0.45],
    ]);
    expect((await budget.scopeStatuses({ budgetId: 'app' })).statuses.map((status) => status.scope)).toEqual([
      'global',
    ]);
  });

  it('refuses an unknown budget with a suggestion, and bad paging options', async () => {
    const budget = await budgetWithUsers();
    const refuse = async (options: unknown, field: string) => {
      const error = await budget.scopeStatuses(options as never).catch((caught: unknown) => caught);
      expect(ValidationError.isInstance(error), String(error)).toBe(true);
      expect((error as ValidationError).field).toBe(field);
      return error as ValidationError;
    };
    expect((await refuse({ budgetId: 'per-usr' }, 'budgetId')).message).toContain("did you mean 'per-user'?");
    await refuse({}, 'budgetId');
    await refuse({ budgetId: { $ne: '' } }, 'budgetId');
    await refuse({ budgetId: 'per-user', limit: 0 }, 'limit');
    await refuse({ budgetId: 'per-user', after: '$where' }, 'after');
    await refuse({ budgetId: 'per-user', page: 2 }, 'options.page');
  });
});
