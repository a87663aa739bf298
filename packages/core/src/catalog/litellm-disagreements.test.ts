import { describe, expect, it } from 'vitest';
import { createBudget } from '../budget/budget-manager';
import { createUsage, type UsageInput } from '../usage';

/**
 * The usages on which tollgate and LiteLLM 1.110 disagreed, recorded through a budget (gate,
 * then settle): where LiteLLM was right, tollgate now agrees; where it was wrong, tollgate stays
 * right. Expected costs are computed here from the published prices, in nano-USD
 * ($1 per million tokens is 1,000 nano-USD a token).
 */
async function record(provider: string, model: string, usage: UsageInput) {
  const warnings: string[] = [];
  const budget = createBudget({
    budgets: [{ id: 'app', limitUsd: 100, period: 'month' }],
    onWarning: (warning) => warnings.push(warning.code),
  });
  const admission = await budget.gate({ provider, model, text: 'hello', maxOutputTokens: 1_000 });
  await admission.settle({ usage: createUsage(usage), requestId: `${provider}-${model}` });
  const [recorded] = (await budget.records()).records;
  return { record: recorded!, warnings };
}

describe('Mistral (LiteLLM was right)', () => {
  it('bills mistral-large-2512 cached prompt tokens at 10% of input, not at the full input price', async () => {
    // docs.mistral.ai/models/mistral-large-3-25-12: $0.50 input, $0.05 cached input, $1.50 output per MTok.
    const usage = { inputTokens: 40_000, cacheReadTokens: 60_000, outputTokens: 1_000 };
    const expected = 40_000 * 500 + 60_000 * 50 + 1_000 * 1_500;
    for (const model of ['mistral-large-2512', 'mistral-large-latest']) {
      const { record: large } = await record('mistral', model, usage);
      expect(large.cost).toBe(expected); // $0.0245; at the full input price it was $0.0515
      expect(large.catalogModel).toBe('mistral-large-latest');
    }
  });

  it('prices mistral-small-latest as Mistral Small 4 (mistral-small-2603), not Small 3.2', async () => {
    // docs.mistral.ai/models/model-cards/mistral-small-4-0-26-03: $0.15 input, $0.015 cached, $0.60 output per MTok.
    const { record: small } = await record('mistral', 'mistral-small-latest', {
      inputTokens: 8_000,
      cacheReadTokens: 2_000,
      outputTokens: 1_000,
    });
    expect(small.cost).toBe(8_000 * 150 + 2_000 * 15 + 1_000 * 600); // Small 3.2's $0.10 / $0.30 gave $0.0013
    expect(small.catalogModel).toBe('mistral-small-latest');
    expect(small.priceSource).toBe('tollgate');
  });
});

describe('where LiteLLM was wrong, tollgate stays right', () => {
  it("charges Sonnet 4.5's long-context price above 200K input tokens, not half of it", async () => {
    // anthropic.com/pricing: above 200K input tokens the whole call is $6 input and $22.50 output per MTok
    // (LiteLLM 1.110 keeps $3 / $15 there).
    const { record: long } = await record('anthropic', 'claude-sonnet-4-5-20250929', {
      inputTokens: 250_000,
      outputTokens: 1_000,
    });
    expect(long.cost).toBe(250_000 * 6_000 + 1_000 * 22_500); // $1.5225
    const { record: short } = await record('anthropic', 'claude-sonnet-4-5', {
      inputTokens: 200_000,
      outputTokens: 1_000,
    });
    expect(short.cost).toBe(200_000 * 3_000 + 1_000 * 15_000);
  });

  it('never records a retired model at $0: the bundled data keeps its last price', async () => {
    const usage = { inputTokens: 1_000, outputTokens: 100 };
    // Last published prices: claude-2.1 $8 / $24, mistral-medium-2312 $2.70 / $8.10, gpt-4-32k $60 / $120 per MTok.
    expect((await record('anthropic', 'claude-2.1', usage)).record.cost).toBe(1_000 * 8_000 + 100 * 24_000);
    expect((await record('mistral', 'mistral-medium-2312', usage)).record.cost).toBe(
      1_000 * 2_700 + 100 * 8_100,
    );
    expect((await record('openai', 'gpt-4-32k', usage)).record.cost).toBe(1_000 * 60_000 + 100 * 120_000);
  });

  it('never records an unknown model at $0: it is charged at a fallback price and warned about', async () => {
    for (const [provider, model] of [
      ['anthropic', 'claude-instant-1.2'],
      ['openai', 'gpt-9-imaginary'],
    ] as const) {
      const { record: unknown, warnings } = await record(provider, model, {
        inputTokens: 1_000,
        outputTokens: 100,
      });
      expect(unknown.cost).toBeGreaterThan(0);
      expect(unknown.priceSource).toMatch(/fallback$/);
      expect(warnings).toContain('TOLLGATE_UNPRICED_MODEL');
    }
  });
});
