import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error';
import { MemoryStore } from '../store/memory-store';
import { createUsage } from '../usage';
import { createBudget } from './budget-manager';

const CALL = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 100, maxOutputTokens: 100 };

describe('a budget after close()', () => {
  it('gates and records nothing, whatever the store and even failing open, and says it is closed', async () => {
    const store = new MemoryStore();
    const budget = createBudget({
      store,
      budgets: [{ id: 'app', limitUsd: 10 }],
      failOpen: { allowanceUsd: 1 },
    });
    const admitted = await budget.gate(CALL);
    await budget.close();

    for (const late of [
      () => budget.gate(CALL),
      () => budget.recordUsage({ ...CALL, usage: createUsage({ inputTokens: 1 }) }),
      () => budget.guard({ ...CALL }, async () => 'ran'),
    ]) {
      const error = await late().then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(ValidationError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/^Invalid budget: is closed \(budget.close\(\) was called\)/);
    }
    // What was admitted before close() still settles.
    const settled = await admitted.settle({ usage: createUsage({ inputTokens: 100, outputTokens: 10 }) });
    expect(settled.recorded).toBe(true);
    expect(budget.pendingUsage).toBe(0);
    const { records } = await createBudget({ store }).records();
    expect(records).toHaveLength(1);
    // Closing again is harmless.
    await expect(budget.close()).resolves.toBeUndefined();
  });
});
