import { describe, expect, it } from 'vitest';
import { createBudget, usdToNano } from '../index';

const clock = () => Date.UTC(2026, 11, 20, 12);

describe('guard', () => {
  it('hands fn the clamped output limit, so the call it sends is never an overrun', async () => {
    // gpt-4o: $2.50 / $10 per million tokens. 1,000 input tokens and 5,000 output cost $0.0525;
    // $0.02 affords 1,000 input and 1,750 output.
    const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 0.02, perCallCapsUsd: false }], clock });
    const descriptor = {
      provider: 'openai',
      model: 'gpt-4o',
      inputTokens: 1_000,
      maxOutputTokens: 5_000,
      onInsufficientBudget: 'clamp' as const,
    };
    let requestId = '';
    const sent = await budget.guard(descriptor, async (call) => {
      requestId = call.admission.requestId;
      expect(call.admission.clamped).toBe(true);
      expect(call.maxOutputTokens).toBe(call.admission.maxOutputTokens);
      // The provider writes as much as it is allowed to.
      call.reportUsage({ inputTokens: 1_000, outputTokens: call.maxOutputTokens! });
      return call.maxOutputTokens;
    });
    expect(sent).toBe(1_750);
    const record = await budget.store.getRecord(requestId);
    expect(record).toMatchObject({ outputTokens: 1_750, cost: usdToNano(0.02), overrun: 0 });
    expect(record!.cost).toBeLessThanOrEqual(record!.reserved);
  });

  it('hands fn the descriptor’s own limit when the call fits', async () => {
    const budget = createBudget({ clock });
    const limit = await budget.guard(
      { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 10, maxOutputTokens: 300 },
      async (call) => {
        expect(call.admission.clamped).toBe(false);
        return call.maxOutputTokens;
      },
    );
    expect(limit).toBe(300);
  });
});
