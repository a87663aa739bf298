import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store';
import { createUsage } from '../usage';
import type { TollgateWarning } from '../warnings/tollgate-warning';
import type { BudgetConfig } from '../config/budget-config';
import { createBudget } from './budget-manager';

const NOW = Date.UTC(2026, 11, 7, 12);
const call = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1000, maxOutputTokens: 100 };
const usage = createUsage({ inputTokens: 1000, outputTokens: 50 });
const MONTHLY: BudgetConfig = { id: 'app', limitUsd: 30, period: 'month' };

/** An app's run: its budgets on the store, `calls` calls (in `context`), then closed; the warnings it raised. */
async function run(
  store: MemoryStore,
  budgets: BudgetConfig[],
  calls: number,
  context: { userId?: string; projectId?: string; tags?: string[] } = {},
): Promise<TollgateWarning[]> {
  const warnings: TollgateWarning[] = [];
  const budget = createBudget({ store, budgets, clock: () => NOW, onWarning: (w) => warnings.push(w) });
  for (let index = 0; index < calls; index++)
    await (await budget.gate({ ...call, context })).settle({ usage });
  await budget.close();
  return warnings.filter((warning) => warning.code === 'TOLLGATE_UNCOUNTED_SPEND');
}

describe('a budget that starts counting in a period with spend recorded before it', () => {
  it('is reported with the spend its counter does not hold, once; a budget the store kept is not', async () => {
    const store = new MemoryStore();
    expect(await run(store, [MONTHLY], 3)).toEqual([]);

    const warnings = await run(store, [MONTHLY, { id: 'daily', limitUsd: 0.002, period: 'day' }], 1);
    expect(warnings.map((warning) => warning.subject)).toEqual(['daily']);
    // Three calls of $0.00018 before it.
    expect(warnings[0]!.message).toContain('$0.00054 recorded earlier in its period (day:2026-12-07)');

    // The next run finds the definition saved and the counter counting: nothing to report.
    expect(await run(store, [MONTHLY, { id: 'daily', limitUsd: 0.002, period: 'day' }], 1)).toEqual([]);
  });

  it('is reported when a budget keeps its id but gets another period', async () => {
    const store = new MemoryStore();
    await run(store, [MONTHLY], 2);
    const warnings = await run(store, [{ ...MONTHLY, period: 'week' }], 1);
    expect(warnings.map((warning) => warning.subject)).toEqual(['app']);
    expect(warnings[0]!.message).toContain(`recorded earlier in its period (week:2026-W50)`);
  });

  it('is not reported from a store with no definitions saved (older than them): its counters may hold the spend', async () => {
    const store = new MemoryStore();
    await run(store, [MONTHLY], 2);
    const withoutDefinitions = Object.assign(store, { readBudgets: async () => [] });
    expect(await run(withoutDefinitions, [{ ...MONTHLY, id: 'renamed' }], 1)).toEqual([]);
  });

  it("counts a new per-user budget's earlier spend only from calls that named a user", async () => {
    const anonymous = new MemoryStore();
    await run(anonymous, [MONTHLY], 2);
    const perUser: BudgetConfig = { id: 'per-user', limitUsd: 1, period: 'day', scope: 'user' };
    expect(await run(anonymous, [MONTHLY, perUser], 1, { userId: 'ada' })).toEqual([]);

    const named = new MemoryStore();
    await run(named, [MONTHLY], 2, { userId: 'ada' });
    const warnings = await run(named, [MONTHLY, perUser], 1, { userId: 'ada' });
    expect(warnings.map((warning) => warning.subject)).toEqual(['per-user']);
    expect(warnings[0]!.message).toContain('$0.00036 recorded earlier in its period (day:2026-12-07)');
  });

  it('is not reported for a budget per tag, whose spend the rollups do not keep apart', async () => {
    const store = new MemoryStore();
    const context = { tags: ['search'], projectId: 'shop' };
    await run(store, [MONTHLY], 2, context);
    const perTag: BudgetConfig = { id: 'per-tag', limitUsd: 1, period: 'day', scope: 'tag' };
    expect(await run(store, [MONTHLY, perTag], 1, context)).toEqual([]);
  });
});
