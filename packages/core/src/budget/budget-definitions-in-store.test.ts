import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store';
import type { BudgetDefinition, BudgetStore } from '../store/store-contract';
import { createUsage } from '../usage';
import { createBudget } from './budget-manager';

const NOW = Date.UTC(2026, 11, 20, 10, 0, 0);
const clock = () => NOW;
const BUDGETS = [
  { id: 'app', limitUsd: 30, period: 'month' as const, timeZone: 'Europe/Paris' },
  { id: 'per-user', limitUsd: 2, period: 'day' as const, scope: 'user' as const, bufferPercent: 5 },
];

/** A MemoryStore whose `saveBudgets` is replaced, counting the calls. */
function storeWithSave(save: (definitions: readonly BudgetDefinition[]) => Promise<void>) {
  const store = new MemoryStore();
  const calls: number[] = [];
  const wrapped: BudgetStore = Object.assign(Object.create(store) as MemoryStore, {
    saveBudgets: (definitions: readonly BudgetDefinition[], now: number) => {
      calls.push(now);
      return save(definitions);
    },
  });
  return { store, wrapped, calls };
}

async function gateAndSettle(budget: ReturnType<typeof createBudget>, userId = 'u-1') {
  const admission = await budget.gate({
    provider: 'openai',
    model: 'gpt-4o-mini',
    inputTokens: 100,
    maxOutputTokens: 100,
    context: { userId },
  });
  return admission.settle({ usage: createUsage({ inputTokens: 100, outputTokens: 50 }) });
}

describe('budget definitions in the store', () => {
  it('are saved on the first use of the store, once, with the time they were defined', async () => {
    const store = new MemoryStore();
    const budget = createBudget({ store, budgets: BUDGETS, clock });
    expect(await store.readBudgets()).toEqual([]);
    await gateAndSettle(budget);
    await gateAndSettle(budget, 'u-2');
    await budget.status();
    await budget.close();
    const saved = await store.readBudgets();
    expect(saved.map((definition) => [definition.id, definition.limitNano, definition.definedAt])).toEqual([
      ['app', 30_000_000_000, NOW],
      ['per-user', 2_000_000_000, NOW],
    ]);
    expect(saved[1]).toMatchObject({
      scope: 'user',
      period: 'day',
      timeZone: 'UTC',
      bufferNano: 100_000_000,
    });
  });

  it('are saved once per process however many calls use the store', async () => {
    const { wrapped, calls } = storeWithSave(() => Promise.resolve());
    const budget = createBudget({ store: wrapped, budgets: BUDGETS, clock });
    await Promise.all(Array.from({ length: 20 }, (_, index) => gateAndSettle(budget, `u-${index}`)));
    await budget.status();
    await budget.close();
    expect(calls).toEqual([NOW]);
  });

  it('a save that fails loses no call and is tried again when the budget closes', async () => {
    const { store, wrapped, calls } = storeWithSave(() => Promise.reject(new Error('disk full')));
    const budget = createBudget({ store: wrapped, budgets: BUDGETS, clock });
    const settled = await gateAndSettle(budget);
    expect(settled.recorded).toBe(true);
    await gateAndSettle(budget, 'u-2');
    await budget.close();
    expect(calls.length).toBe(2);
    expect((await store.readRecords({ limit: 10 })).length).toBe(2);
  });

  it('a save that never answers holds up no call, and close gives up on it after the admission timeout', async () => {
    const { store, wrapped } = storeWithSave(() => new Promise<void>(() => {}));
    const budget = createBudget({ store: wrapped, budgets: BUDGETS, clock, admissionTimeoutMs: 50 });
    const settled = await gateAndSettle(budget);
    expect(settled.recorded).toBe(true);
    expect((await budget.status({ userId: 'u-1' })).length).toBe(2);
    await budget.close();
    expect((await store.readRecords({ limit: 10 })).map((record) => record.userId)).toEqual(['u-1']);
  });

  it('are not saved by a budget that never used its store', async () => {
    const store = new MemoryStore();
    await createBudget({ store, budgets: BUDGETS, clock }).close();
    expect(await store.readBudgets()).toEqual([]);
  });
});
