import { describe, expect, it } from 'vitest';
import { BudgetExceededError, createBudget } from '../index';

const budget = () => createBudget({ budgets: [{ id: 'app', limitUsd: 0.001, period: 'month' }] });
const request = { provider: 'openai', model: 'gpt-4o', text: 'Write an essay about budgets.' };

async function refusalOf(gating: Promise<unknown>): Promise<BudgetExceededError> {
  const error = await gating.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(BudgetExceededError.isInstance(error)).toBe(true);
  return error as BudgetExceededError;
}

describe('a refusal of a call that set no output limit', () => {
  it("says the worst case is the model's largest output, and how to lower it", async () => {
    const refusal = await refusalOf(budget().gate(request));
    expect(refusal.assumedOutputTokens).toBe(16_384);
    expect(refusal.message).toMatch(
      /^Budget "app" \(GREEN\) refused a call costing up to \$0\.16\d*: only \$0\.001 is available\./,
    );
    expect(refusal.message).toContain(
      "The call set no output limit, so its worst case is the model's largest output (16,384 tokens): set one (max_tokens), or let the gate shrink it with onInsufficientBudget: 'clamp'.",
    );
  });

  it('says nothing of the kind when the call set its limit', async () => {
    const refusal = await refusalOf(budget().gate({ ...request, maxOutputTokens: 4_000 }));
    expect(refusal.assumedOutputTokens).toBeUndefined();
    expect(refusal.message).not.toContain('output limit');
  });
});

describe('a refusal in clamp mode', () => {
  it('says what the call still costs at its smallest output, not only its worst case', async () => {
    const tiny = createBudget({ budgets: [{ id: 'app', limitUsd: 0.00001, period: 'month' }] });
    const refusal = await refusalOf(
      tiny.gate({ ...request, maxOutputTokens: 4_000, onInsufficientBudget: 'clamp', minOutputTokens: 16 }),
    );
    const atSixteen = tiny.estimate({ ...request, maxOutputTokens: 16 });
    expect(refusal.smallest).toEqual({
      outputTokens: 16,
      costNano: atSixteen.costNano,
      costUsd: atSixteen.costUsd,
    });
    expect(refusal.message).toMatch(
      /Shrunk to its smallest output \(16 tokens, minOutputTokens\) it still costs up to \$0\.00018\.$/,
    );
    expect(refusal.message).not.toContain("onInsufficientBudget: 'clamp'");
    const thrown = await refusalOf(tiny.gate({ ...request, maxOutputTokens: 4_000 }));
    expect(thrown.smallest).toBeUndefined();
  });
});
