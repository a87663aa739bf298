import { describe, expect, it } from 'vitest';
import type { BudgetConfig } from '../config/budget-config';
import { BudgetExceededError } from '../errors/budget-exceeded-error';
import { MemoryStore } from '../store/memory-store';
import { createUsage } from '../usage';
import type { TollgateWarning } from '../warnings/tollgate-warning';
import { createBudget } from './budget-manager';

const NOW = Date.UTC(2026, 11, 7, 12);
// Reserves 210,000 nano-USD (1,000 tokens in, at most 100 out); costs 180,000 (50 out).
const call = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1000, maxOutputTokens: 100 };
const usage = createUsage({ inputTokens: 1000, outputTokens: 50 });
const COST = 180_000;
const MONTHLY: BudgetConfig = { id: 'app', limitUsd: 30, period: 'month' };
const DAILY: BudgetConfig = { id: 'daily', limitUsd: 0.001, period: 'day' };

type Context = { userId?: string; projectId?: string; tags?: string[] };

function budgetOn(store: MemoryStore, budgets: BudgetConfig[], warnings: TollgateWarning[] = []) {
  return createBudget({ store, budgets, clock: () => NOW, onWarning: (w) => warnings.push(w) });
}

/** An app's run: its budgets on the store, `calls` calls (in `context`), then closed; the warnings it raised. */
async function run(store: MemoryStore, budgets: BudgetConfig[], calls: number, context: Context = {}) {
  const warnings: TollgateWarning[] = [];
  const budget = budgetOn(store, budgets, warnings);
  for (let index = 0; index < calls; index++)
    await (await budget.gate({ ...call, context })).settle({ usage });
  await budget.close();
  return warnings.filter((warning) => warning.code === 'TOLLGATE_UNCOUNTED_SPEND');
}

async function usedBy(store: MemoryStore, budgets: BudgetConfig[], id: string): Promise<number> {
  const budget = budgetOn(store, budgets);
  const status = (await budget.status()).find((each) => each.budgetId === id);
  await budget.close();
  return status!.usedNano;
}

/** Calls until the first refusal: how many were admitted. */
async function admittedUntilRefused(budget: ReturnType<typeof createBudget>): Promise<number> {
  for (let admitted = 0; ; admitted++) {
    try {
      await (await budget.gate(call)).settle({ usage });
    } catch (error) {
      expect(BudgetExceededError.isInstance(error)).toBe(true);
      return admitted;
    }
  }
}

describe('a budget new to the store', () => {
  it("starts with its period's spend, so the period's spend stays within its limit", async () => {
    const store = new MemoryStore();
    await run(store, [MONTHLY], 3);

    const warnings: TollgateWarning[] = [];
    const budget = budgetOn(store, [MONTHLY, DAILY], warnings);
    // $0.001 a day, $0.00054 spent today before it: two calls fit, not five.
    expect(await admittedUntilRefused(budget)).toBe(2);
    await budget.close();
    expect(await usedBy(store, [MONTHLY, DAILY], 'daily')).toBe(5 * COST);
    expect(await usedBy(store, [MONTHLY, DAILY], 'app')).toBe(5 * COST);
    expect(warnings).toEqual([]);
  });

  it("starts with its period's spend with quota leases too: the leases are sized from it", async () => {
    const store = new MemoryStore();
    await run(store, [MONTHLY], 3);
    const budget = createBudget({
      store,
      budgets: [MONTHLY, DAILY],
      clock: () => NOW,
      leases: { flushIntervalMs: 3_600_000 },
    });
    expect(await admittedUntilRefused(budget)).toBe(2);
    await budget.close();
    expect(await usedBy(store, [MONTHLY, DAILY], 'daily')).toBe(5 * COST);
  });

  it('keeping its id but given another period, starts with the spend of the new period', async () => {
    const store = new MemoryStore();
    await run(store, [MONTHLY], 2);
    const weekly = { ...MONTHLY, period: 'week' as const };
    expect(await run(store, [weekly], 1)).toEqual([]);
    expect(await usedBy(store, [weekly], 'app')).toBe(3 * COST);
  });

  it('is given the spend once: a later run, or two instances starting together, do not add it again', async () => {
    const store = new MemoryStore();
    await run(store, [MONTHLY], 2);
    const roomy = { ...DAILY, limitUsd: 10 };
    const first = budgetOn(store, [MONTHLY, roomy]);
    const second = budgetOn(store, [MONTHLY, roomy]);
    await Promise.all([first, second].map(async (budget) => (await budget.gate(call)).settle({ usage })));
    await Promise.all([first.close(), second.close()]);
    await run(store, [MONTHLY, roomy], 1);
    expect(await usedBy(store, [MONTHLY, roomy], 'daily')).toBe(5 * COST);
  });

  it('is reported with the spend it does not count when the store cannot make its counter', async () => {
    const store = Object.assign(new MemoryStore(), { seedCounter: undefined });
    await run(store, [MONTHLY], 3);
    const warnings = await run(store, [MONTHLY, DAILY], 1);
    expect(warnings.map((warning) => warning.subject)).toEqual(['daily']);
    // Three calls of $0.00018 before it.
    expect(warnings[0]!.message).toContain('$0.00054 recorded earlier in its period (day:2026-12-07)');
    expect(await usedBy(store, [MONTHLY, DAILY], 'daily')).toBe(COST);
  });

  it('is not looked for in a store with no definitions saved (older than them): its counters may hold the spend', async () => {
    const store = new MemoryStore();
    await run(store, [MONTHLY], 2);
    const withoutDefinitions = Object.assign(store, { readBudgets: async () => [] });
    const renamed = { ...MONTHLY, id: 'renamed' };
    expect(await run(withoutDefinitions, [renamed], 1)).toEqual([]);
    expect(await usedBy(withoutDefinitions, [renamed], 'renamed')).toBe(COST);
  });

  it('per user, is reported with the earlier spend of calls that named a user (one counter per user is not made ahead)', async () => {
    const perUser: BudgetConfig = { id: 'per-user', limitUsd: 1, period: 'day', scope: 'user' };
    const anonymous = new MemoryStore();
    await run(anonymous, [MONTHLY], 2);
    expect(await run(anonymous, [MONTHLY, perUser], 1, { userId: 'ada' })).toEqual([]);

    const named = new MemoryStore();
    await run(named, [MONTHLY], 2, { userId: 'ada' });
    const warnings = await run(named, [MONTHLY, perUser], 1, { userId: 'ada' });
    expect(warnings.map((warning) => warning.subject)).toEqual(['per-user']);
    expect(warnings[0]!.message).toContain(
      "counts each user's spend from their first call: $0.00036 their calls recorded earlier in its period (day:2026-12-07)",
    );
  });

  it('pinned to one user, starts with that user’s spend only', async () => {
    const store = new MemoryStore();
    await run(store, [MONTHLY], 2, { userId: 'ada' });
    await run(store, [MONTHLY], 1, { userId: 'bob' });
    const ada: BudgetConfig = { id: 'ada', limitUsd: 1, period: 'day', scope: 'user', scopeValue: 'ada' };
    expect(await run(store, [MONTHLY, ada], 0)).toEqual([]);
    expect(await usedBy(store, [MONTHLY, ada], 'ada')).toBe(2 * COST);
  });

  it('per tag, is neither given spend nor reported: the rollups do not keep tags apart', async () => {
    const store = new MemoryStore();
    const context = { tags: ['search'], projectId: 'shop' };
    await run(store, [MONTHLY], 2, context);
    const perTag: BudgetConfig = { id: 'per-tag', limitUsd: 1, period: 'day', scope: 'tag' };
    expect(await run(store, [MONTHLY, perTag], 1, context)).toEqual([]);
  });
});
