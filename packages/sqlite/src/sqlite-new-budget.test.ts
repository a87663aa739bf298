import { BudgetExceededError, createBudget, createUsage } from '@tollgate/core';
import { afterAll, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store';
import { temporaryDirectory } from './testing/temporary-directory';

const directory = temporaryDirectory();
afterAll(() => directory.remove());

const NOW = Date.UTC(2026, 11, 7, 12);
// Reserves 210,000 nano-USD; costs 180,000.
const call = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1000, maxOutputTokens: 100 };
const usage = createUsage({ inputTokens: 1000, outputTokens: 50 });
const MONTHLY = { id: 'app', limitUsd: 30, period: 'month' as const };
const DAILY = { id: 'daily', limitUsd: 0.001, period: 'day' as const };

it('a budget added to an app on a SQLite file starts with the spend of its period, so it refuses in time', async () => {
  const path = directory.file('new-budget.db');
  const before = createBudget({ store: new SqliteStore({ path }), clock: () => NOW, budgets: [MONTHLY] });
  for (let index = 0; index < 3; index++) await (await before.gate(call)).settle({ usage });
  await before.close();

  const after = createBudget({
    store: new SqliteStore({ path }),
    clock: () => NOW,
    budgets: [MONTHLY, DAILY],
  });
  await (await after.gate(call)).settle({ usage });
  await (await after.gate(call)).settle({ usage });
  const refused = await after.gate(call).catch((error: unknown) => error);
  expect(BudgetExceededError.isInstance(refused)).toBe(true);
  const daily = (await after.status()).find((status) => status.budgetId === 'daily');
  expect(daily!.usedNano).toBe(5 * 180_000);
  await after.close();
});
