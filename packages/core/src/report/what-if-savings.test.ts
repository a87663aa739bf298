import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBudget, type CreateBudgetOptions } from '../budget/budget-manager';
import { ValidationError } from '../errors/validation-error';
import { formatUsd, nanoToUsd } from '../money/money';
import { DEFAULT_MODEL_REGISTRY, ModelRegistry, type ModelRegistryEntry } from '../strategy/model-registry';
import { PUBLISHED_LLM_PRICES, type TokenCounts, tokenCost } from './__fixtures__/published-prices';
import { whatIfSavings } from './what-if-savings';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const DAY = 86_400_000;

interface Call {
  model: string;
  requestType: string;
  daysAgo: number;
  input: number;
  cacheRead?: number;
  output: number;
  reasoning?: number;
  estimated?: boolean;
}

async function history(calls: readonly Call[], options: CreateBudgetOptions = {}) {
  const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 1_000 }], clock: () => NOW, ...options });
  const recorded: { call: Call; cost: number }[] = [];
  for (const call of calls) {
    const [provider, model] = call.model.split('/') as [string, string];
    const settled = await budget.recordUsage({
      provider,
      model,
      usage: {
        inputTokens: call.input,
        cacheReadTokens: call.cacheRead ?? 0,
        outputTokens: call.output,
        reasoningTokens: call.reasoning ?? 0,
      },
      context: { requestType: call.requestType },
      timestamp: NOW - call.daysAgo * DAY,
      ...(call.estimated ? { estimated: true } : {}),
    });
    recorded.push({ call, cost: settled.record.cost });
  }
  return { budget, recorded };
}

const repeat = (count: number, call: (index: number) => Call): Call[] =>
  Array.from({ length: count }, (_, index) => call(index));

/** 40 summaries on gpt-4o over the last 25 days: 12,000 tokens in and 800 out each. */
const SUMMARIES = repeat(40, (index) => ({
  model: 'openai/gpt-4o',
  requestType: 'summarize',
  daysAgo: index % 25,
  input: 12_000,
  output: 800,
}));
// One summary costs 12,000 × $2.50 + 800 × $10 per million = $0.038; 40 of them $1.52.
const SUMMARIES_COST = 1_520_000_000;
const SUMMARY_TOKENS = { input: 480_000, output: 32_000 };

describe('whatIfSavings: replaying a request type on cheaper models', () => {
  it('replays the calls of a dated id and of its alias as one model', async () => {
    const dated = SUMMARIES.map((call, index) =>
      index % 2 === 0 ? { ...call, model: 'openai/gpt-4o-2024-08-06' } : call,
    );
    const [fromDated, fromAlias] = await Promise.all([
      history(dated).then(({ budget }) => budget.whatIfSavings({ days: 30 })),
      history(SUMMARIES).then(({ budget }) => budget.whatIfSavings({ days: 30 })),
    ]);
    expect(fromDated).toEqual(fromAlias);
    expect(fromDated[0]).toMatchObject({ from: { model: 'gpt-4o' }, requests: 40 });
  });

  it('reports the best model one tier down and the best of the same tier, with exact amounts', async () => {
    const { budget } = await history(SUMMARIES);
    const savings = await budget.whatIfSavings({ days: 30 });

    // One tier down (tier 2), the cheapest replay is gpt-4o-mini: 480,000 × $0.15 + 32,000 × $0.60
    // (mistral-small-latest, Mistral Small 4, costs the same; the registry's first of the two wins).
    const small = tokenCost('openai/gpt-4o-mini', SUMMARY_TOKENS);
    expect(small).toBe(91_200_000);
    expect(tokenCost('mistral/mistral-small-latest', SUMMARY_TOKENS)).toBe(small);
    // Same tier (tier 3), gpt-5-mini: 480,000 × $0.25 + 32,000 × $2.
    const mini = tokenCost('openai/gpt-5-mini', SUMMARY_TOKENS);
    expect(mini).toBe(184_000_000);

    expect(savings).toEqual([
      {
        requestType: 'summarize',
        service: 'llm',
        from: { provider: 'openai', model: 'gpt-4o', tier: 3 },
        to: { provider: 'openai', model: 'gpt-4o-mini', tier: 2 },
        kind: 'one-tier-down',
        actualCostNano: SUMMARIES_COST,
        actualCostUsd: nanoToUsd(SUMMARIES_COST),
        replayedCostNano: small,
        replayedCostUsd: nanoToUsd(small),
        savingNano: SUMMARIES_COST - small,
        savingUsd: nanoToUsd(SUMMARIES_COST - small),
        requests: 40,
        days: 30,
        message:
          "moving request type 'summarize' from gpt-4o to gpt-4o-mini (one quality tier down) would have saved $1.43 of $1.52 in the last 30 days",
      },
      {
        requestType: 'summarize',
        service: 'llm',
        from: { provider: 'openai', model: 'gpt-4o', tier: 3 },
        to: { provider: 'openai', model: 'gpt-5-mini', tier: 3 },
        kind: 'same-tier',
        actualCostNano: SUMMARIES_COST,
        actualCostUsd: nanoToUsd(SUMMARIES_COST),
        replayedCostNano: mini,
        replayedCostUsd: nanoToUsd(mini),
        savingNano: SUMMARIES_COST - mini,
        savingUsd: nanoToUsd(SUMMARIES_COST - mini),
        requests: 40,
        days: 30,
        message:
          "moving request type 'summarize' from gpt-4o to gpt-5-mini would have saved $1.34 of $1.52 in the last 30 days",
      },
    ]);
  });

  it('moves gpt-4o to gpt-4o-mini, one tier down in the default registry, when it is the cheapest there', async () => {
    const gpt4o = DEFAULT_MODEL_REGISTRY.find((entry) => entry.model === 'gpt-4o')!;
    const gpt4oMini = DEFAULT_MODEL_REGISTRY.find((entry) => entry.model === 'gpt-4o-mini')!;
    expect([gpt4o.tier, gpt4oMini.tier]).toEqual([3, 2]);
    // Rate mistral-small-latest a tier lower, and gpt-4o-mini is the cheapest tier-2 model left.
    const { budget } = await history(SUMMARIES, {
      models: [{ provider: 'mistral', model: 'mistral-small-latest', service: 'llm', tier: 1 }],
    });
    const [best] = await budget.whatIfSavings({ days: 30 });
    // 480,000 × $0.15 + 32,000 × $0.60 = $0.0912; $1.52 − $0.0912 = $1.4288.
    const replayed = tokenCost('openai/gpt-4o-mini', SUMMARY_TOKENS);
    expect(replayed).toBe(91_200_000);
    expect(best).toMatchObject({
      kind: 'one-tier-down',
      to: { provider: 'openai', model: 'gpt-4o-mini', tier: 2 },
      actualCostNano: 1_520_000_000,
      replayedCostNano: 91_200_000,
      savingNano: 1_428_800_000,
      savingUsd: 1.4288,
      requests: 40,
    });
    expect(best!.message).toBe(
      "moving request type 'summarize' from gpt-4o to gpt-4o-mini (one quality tier down) would have saved $1.43 of $1.52 in the last 30 days",
    );
    expect(best!.message).toBe(
      `moving request type 'summarize' from gpt-4o to gpt-4o-mini (one quality tier down) would have saved ${formatUsd(1_520_000_000 - replayed)} of ${formatUsd(1_520_000_000)} in the last 30 days`,
    );
  });

  it('replays only the last N days', async () => {
    const older = repeat(5, () => ({
      model: 'openai/gpt-4o',
      requestType: 'summarize',
      daysAgo: 35,
      input: 12_000,
      output: 800,
    }));
    const { budget } = await history([...SUMMARIES, ...older]);
    const [lastMonth] = await budget.whatIfSavings({ days: 30 });
    expect(lastMonth).toMatchObject({ requests: 40, actualCostNano: SUMMARIES_COST, days: 30 });
    const [lastTwoMonths] = await budget.whatIfSavings({ days: 60 });
    const tokens = { input: 45 * 12_000, output: 45 * 800 };
    expect(lastTwoMonths).toMatchObject({
      requests: 45,
      actualCostNano: 45 * 38_000_000,
      replayedCostNano: tokenCost('openai/gpt-4o-mini', tokens),
      savingNano: 45 * 38_000_000 - tokenCost('openai/gpt-4o-mini', tokens),
      days: 60,
    });
    expect(lastTwoMonths!.message).toMatch(/ in the last 60 days$/);
    const [lastWeek] = await budget.whatIfSavings({ days: 7 });
    const inWeek = SUMMARIES.filter((call) => call.daysAgo < 7).length;
    expect(inWeek).toBe(14);
    expect(lastWeek).toMatchObject({ requests: inWeek, actualCostNano: inWeek * 38_000_000, days: 7 });
  });

  it('keeps request types apart and reports the biggest saving first', async () => {
    const chats = repeat(10, (index) => ({
      model: 'anthropic/claude-sonnet-4-5',
      requestType: 'chat',
      daysAgo: index,
      input: 3_000,
      output: 2_000,
    }));
    const { budget } = await history([...SUMMARIES, ...chats]);
    const savings = await budget.whatIfSavings();
    const chatTokens = { input: 30_000, output: 20_000 };
    const chatCost = tokenCost('anthropic/claude-sonnet-4-5', chatTokens);
    expect(chatCost).toBe(390_000_000);
    const chat = savings.filter((saving) => saving.requestType === 'chat');
    // For this output-heavy mix the cheapest tier-3 model is mistral-large-latest (30,000 × $0.50 + 20,000 × $1.50
    // = 45,000,000), not gpt-5-mini (30,000 × $0.25 + 20,000 × $2 = 47,500,000).
    expect(tokenCost('openai/gpt-5-mini', chatTokens)).toBe(47_500_000);
    expect(chat.map((saving) => [saving.kind, saving.to.model, saving.savingNano])).toEqual([
      ['one-tier-down', 'gpt-4o-mini', chatCost - tokenCost('openai/gpt-4o-mini', chatTokens)],
      ['same-tier', 'mistral-large-latest', chatCost - 45_000_000],
    ]);
    expect(savings.map((saving) => saving.savingNano)).toEqual(
      [...savings.map((saving) => saving.savingNano)].sort((a, b) => b - a),
    );
    expect(savings).toHaveLength(4);
  });

  it('reports nothing without history, for unrated or free models, or when nothing is cheaper', async () => {
    expect(await (await history([])).budget.whatIfSavings()).toEqual([]);
    const { budget } = await history(
      [
        { model: 'ollama/llama3.2', requestType: 'local', daysAgo: 1, input: 50_000, output: 5_000 },
        { model: 'acme/meter', requestType: 'custom', daysAgo: 1, input: 5_000_000, output: 0 },
        // qwen-turbo is the cheapest tier-1 model for input-heavy calls, and nothing is below tier 1.
        { model: 'qwen/qwen-turbo', requestType: 'cheap', daysAgo: 1, input: 10_000, output: 100 },
      ],
      { prices: [{ provider: 'acme', model: 'meter', prices: { inputPerMTok: 1 } }] },
    );
    expect(await budget.whatIfSavings()).toEqual([]);
  });

  it('rejects a bad day count with ValidationError', async () => {
    const { budget } = await history([]);
    for (const days of [-1, 1.5, 100_000, Number.NaN]) {
      await expect(budget.whatIfSavings({ days })).rejects.toBeInstanceOf(ValidationError);
    }
  });
});

describe('whatIfSavings: when the replay is approximate', () => {
  it('says so when cached tokens were billed, and replays them at the alternative’s cache rate', async () => {
    const cached = repeat(20, (index) => ({
      model: 'openai/gpt-4o',
      requestType: 'rag',
      daysAgo: index,
      input: 8_000,
      cacheRead: 4_000,
      output: 600,
    }));
    const { budget, recorded } = await history(cached);
    const savings = await budget.whatIfSavings();
    // 8,000 × $2.50 + 4,000 × $1.25 + 600 × $10 per million = 31,000,000 a call.
    expect(recorded[0]!.cost).toBe(31_000_000);
    const tokens: TokenCounts = { input: 160_000, cacheRead: 80_000, output: 12_000 };
    // mistral-small-latest replays the cached tokens at its cache rate ($0.015, a tenth of its input rate).
    const replayed = tokenCost('mistral/mistral-small-latest', tokens);
    expect(replayed).toBe(160_000 * 150 + 80_000 * 15 + 12_000 * 600);
    const note = 'cached-token pricing differs between models and caches do not carry over';
    expect(savings[0]).toMatchObject({
      kind: 'one-tier-down',
      actualCostNano: 620_000_000,
      replayedCostNano: replayed,
      savingNano: 620_000_000 - replayed,
      approximate: note,
    });
    expect(savings[0]!.message).toBe(
      `moving request type 'rag' from gpt-4o to mistral-small-latest (one quality tier down) would have saved ${formatUsd(620_000_000 - replayed)} of $0.62 in the last 30 days (approximate: ${note})`,
    );
    for (const saving of savings) expect(saving.approximate).toBe(note);
  });

  it('says so for reasoning tokens and for calls with reconstructed usage', async () => {
    const { budget } = await history([
      {
        model: 'openai/gpt-5',
        requestType: 'plan',
        daysAgo: 2,
        input: 5_000,
        output: 4_000,
        reasoning: 3_000,
      },
      {
        model: 'openai/gpt-4o',
        requestType: 'draft',
        daysAgo: 2,
        input: 5_000,
        output: 500,
        estimated: true,
      },
      {
        model: 'openai/gpt-4o',
        requestType: 'draft',
        daysAgo: 3,
        input: 5_000,
        output: 500,
        estimated: true,
      },
      { model: 'openai/gpt-4o', requestType: 'draft', daysAgo: 4, input: 5_000, output: 500 },
      {
        model: 'openai/gpt-4o',
        requestType: 'everything',
        daysAgo: 1,
        input: 5_000,
        cacheRead: 1_000,
        output: 500,
        reasoning: 100,
        estimated: true,
      },
    ]);
    const savings = await budget.whatIfSavings();
    const notes = (requestType: string) =>
      new Set(
        savings.filter((saving) => saving.requestType === requestType).map((saving) => saving.approximate),
      );
    expect(notes('plan')).toEqual(new Set(['another model would reason for a different number of tokens']));
    expect(notes('draft')).toEqual(new Set(['2 of the calls have reconstructed usage']));
    expect(notes('everything')).toEqual(
      new Set([
        'cached-token pricing differs between models and caches do not carry over; another model would reason for a different number of tokens; 1 of the calls has reconstructed usage',
      ]),
    );
    const plain = await (await history(SUMMARIES)).budget.whatIfSavings();
    for (const saving of plain) {
      expect(saving).not.toHaveProperty('approximate');
      expect(saving.message).not.toContain('approximate');
    }
  });
});

describe('whatIfSavings: long-context prices', () => {
  const anthropicOnly = (): ModelRegistry =>
    new ModelRegistry(
      DEFAULT_MODEL_REGISTRY.filter(
        (entry) => entry.model === 'claude-opus-4-5' || entry.model === 'claude-sonnet-4-5',
      ),
      { includeDefaults: false },
    );

  it('prices each replayed call at its own size, not the sum of all calls as one long call', async () => {
    // 300 short calls add up to 300,000 input tokens, above claude-sonnet-4-5's 200,000 long-context line.
    const calls = repeat(300, (index) => ({
      model: 'anthropic/claude-opus-4-5',
      requestType: 'chat',
      daysAgo: index % 20,
      input: 1_000,
      output: 100,
    }));
    const { budget } = await history(calls);
    const rows = await budget.store.queryRollups({ fromDay: '2026-10-22', toDay: '2026-11-20' });
    const savings = whatIfSavings({
      rows,
      registry: anthropicOnly(),
      catalog: budget.catalog,
      days: 30,
      at: new Date(NOW),
    });
    // Actual: 300 × (1,000 × $5 + 100 × $25) = $2.25. Replayed at sonnet's base prices: 300,000 × $3 + 30,000 × $15 = $1.35.
    const replayed = tokenCost('anthropic/claude-sonnet-4-5', { input: 300_000, output: 30_000 }, 1_000);
    expect(replayed).toBe(1_350_000_000);
    const note =
      "the alternative's price depends on each call's input size and the replay prices the average call";
    expect(savings).toEqual([
      expect.objectContaining({
        kind: 'one-tier-down',
        to: { provider: 'anthropic', model: 'claude-sonnet-4-5', tier: 3 },
        actualCostNano: 2_250_000_000,
        replayedCostNano: 1_350_000_000,
        savingNano: 900_000_000,
        approximate: note,
        message: `moving request type 'chat' from claude-opus-4-5 to claude-sonnet-4-5 (one quality tier down) would have saved $0.90 of $2.25 in the last 30 days (approximate: ${note})`,
      }),
    ]);
  });

  it('uses the long-context price when the calls themselves are long', async () => {
    // Two calls of 250,000 tokens: sonnet bills them at $6 / $22.50, more than opus's $5 / $25 here.
    const calls = repeat(2, (index) => ({
      model: 'anthropic/claude-opus-4-5',
      requestType: 'review',
      daysAgo: index,
      input: 250_000,
      output: 1_000,
    }));
    const { budget } = await history(calls);
    const rows = await budget.store.queryRollups({ fromDay: '2026-10-22', toDay: '2026-11-20' });
    const actual = 2 * tokenCost('anthropic/claude-opus-4-5', { input: 250_000, output: 1_000 });
    const longReplay = tokenCost('anthropic/claude-sonnet-4-5', { input: 500_000, output: 2_000 }, 250_000);
    expect([actual, longReplay]).toEqual([2_550_000_000, 3_045_000_000]);
    expect(
      whatIfSavings({
        rows,
        registry: anthropicOnly(),
        catalog: budget.catalog,
        days: 30,
        at: new Date(NOW),
      }),
    ).toEqual([]);
  });

  it('does not call a replay approximate when no call total reaches the long-context line', async () => {
    const { budget } = await history(
      repeat(10, (index) => ({
        model: 'anthropic/claude-opus-4-5',
        requestType: 'chat',
        daysAgo: index,
        input: 1_000,
        output: 100,
      })),
    );
    const rows = await budget.store.queryRollups({ fromDay: '2026-10-22', toDay: '2026-11-20' });
    const [saving] = whatIfSavings({
      rows,
      registry: anthropicOnly(),
      catalog: budget.catalog,
      days: 30,
      at: new Date(NOW),
    });
    expect(saving).toMatchObject({
      actualCostNano: 75_000_000,
      replayedCostNano: 45_000_000,
      savingNano: 30_000_000,
    });
    expect(saving).not.toHaveProperty('approximate');
  });
});

describe('whatIfSavings: generated histories', () => {
  const FROM_MODELS = [
    'openai/gpt-4o',
    'openai/gpt-4o-mini',
    'openai/gpt-5-nano',
    'anthropic/claude-opus-4-5',
    'anthropic/claude-sonnet-4-5',
    'mistral/mistral-large-latest',
    'qwen/qwen-plus',
  ];
  const LLM_REGISTRY: readonly ModelRegistryEntry[] = DEFAULT_MODEL_REGISTRY.filter(
    (entry) => entry.service === 'llm',
  );
  const keyOf = (entry: { provider: string; model: string }) => `${entry.provider}/${entry.model}`;

  it('has a published price for every LLM in the default registry', () => {
    for (const entry of LLM_REGISTRY) expect(PUBLISHED_LLM_PRICES[keyOf(entry)], keyOf(entry)).toBeDefined();
  });

  const callArbitrary = fc.record({
    model: fc.constantFrom(...FROM_MODELS),
    requestType: fc.constantFrom('chat', 'summarize', 'classify'),
    daysAgo: fc.integer({ min: 0, max: 45 }),
    input: fc.integer({ min: 1_000, max: 30_000 }),
    cacheRead: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 10_000 })),
    output: fc.integer({ min: 100, max: 5_000 }),
  });

  it('reports, per request type and kind, the biggest savingNano: actual − replayed, above zero', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(callArbitrary, { maxLength: 30 }),
        fc.integer({ min: 1, max: 45 }),
        async (calls, days) => {
          const { budget, recorded } = await history(calls);
          const savings = await budget.whatIfSavings({ days });
          const inWindow = recorded.filter(({ call }) => call.daysAgo < days);

          // The replays computed independently: every (request type, model) against every cheaper candidate.
          const best = new Map<string, number>();
          const groups = new Map<
            string,
            { requestType: string; model: string; calls: Call[]; recorded: number }
          >();
          for (const { call, cost } of inWindow) {
            const id = `${call.requestType}|${call.model}`;
            const group = groups.get(id) ?? {
              requestType: call.requestType,
              model: call.model,
              calls: [],
              recorded: 0,
            };
            group.calls.push(call);
            group.recorded += cost;
            groups.set(id, group);
          }
          const sums = (group: { calls: Call[] }) => ({
            input: group.calls.reduce((sum, call) => sum + call.input, 0),
            cacheRead: group.calls.reduce((sum, call) => sum + (call.cacheRead ?? 0), 0),
            output: group.calls.reduce((sum, call) => sum + call.output, 0),
          });
          const averageInput = (group: { calls: Call[] }) => {
            const total = sums(group);
            return (total.input + total.cacheRead) / group.calls.length;
          };
          for (const group of groups.values()) {
            const from = LLM_REGISTRY.find((entry) => keyOf(entry) === group.model)!;
            for (const to of LLM_REGISTRY) {
              if (to === from) continue;
              const kind =
                to.tier === from.tier ? 'same-tier' : to.tier === from.tier - 1 ? 'one-tier-down' : undefined;
              if (!kind) continue;
              const saving = group.recorded - tokenCost(keyOf(to), sums(group), averageInput(group));
              const id = `${group.requestType}|${kind}`;
              if (saving > 0 && saving > (best.get(id) ?? 0)) best.set(id, saving);
            }
          }

          expect(savings).toHaveLength(best.size);
          for (const saving of savings) {
            const group = groups.get(`${saving.requestType}|${keyOf(saving.from)}`)!;
            expect(saving.savingNano).toBe(saving.actualCostNano - saving.replayedCostNano);
            expect(saving.savingNano).toBeGreaterThan(0);
            expect(saving.actualCostNano).toBe(group.recorded);
            expect(saving.actualCostNano).toBe(
              group.calls.reduce((sum, call) => sum + tokenCost(call.model, call), 0),
            );
            expect(saving.replayedCostNano).toBe(
              tokenCost(keyOf(saving.to), sums(group), averageInput(group)),
            );
            expect(saving.requests).toBe(group.calls.length);
            expect(saving.savingNano).toBe(best.get(`${saving.requestType}|${saving.kind}`));
            expect(saving.to.tier).toBe(
              saving.kind === 'same-tier' ? saving.from.tier : saving.from.tier - 1,
            );
            expect(saving.days).toBe(days);
            expect(saving.message).toContain(
              `would have saved ${formatUsd(saving.savingNano)} of ${formatUsd(saving.actualCostNano)} in the last ${days === 1 ? 'day' : `${days} days`}`,
            );
          }
          for (let index = 1; index < savings.length; index++)
            expect(savings[index - 1]!.savingNano).toBeGreaterThanOrEqual(savings[index]!.savingNano);
        },
      ),
      { numRuns: 80 },
    );
  });
});
