import { describe, expect, it } from 'vitest';
import type { AlertLevel } from '../alerts/alert-level';
import type { BudgetConfig } from '../config/budget-config';
import { createBudget, type CreateBudgetOptions } from '../budget/budget-manager';
import type { UserPrice } from '../catalog/price-catalog';
import { BudgetExceededError } from '../errors/budget-exceeded-error';
import { ValidationError } from '../errors/validation-error';
import { formatUsd, nanoToUsd } from '../money/money';
import { tokenCost } from '../report/__fixtures__/published-prices';
import { COST_STRATEGIES, type CostStrategy, strategyForLevel } from './cost-strategy';
import { DEFAULT_MODEL_REGISTRY, ModelRegistry, type ModelRegistryEntry } from './model-registry';
import type { ModelCandidate } from './rank-candidates';

const NOW = Date.parse('2026-11-20T12:00:00Z');
// One nano-USD per input token of acme/meter, so spend drives the alert level exactly.
const METER: UserPrice = { provider: 'acme', model: 'meter', prices: { inputPerMTok: 0.001 } };
const LLAMA: ModelRegistryEntry = {
  provider: 'ollama',
  model: 'llama3.2',
  service: 'llm',
  tier: 1,
  local: true,
};

function budgetWith(options: CreateBudgetOptions = {}) {
  return createBudget({
    budgets: [{ id: 'app', limitUsd: 10 }],
    prices: [METER],
    clock: () => NOW,
    ...options,
  });
}
type Budget = ReturnType<typeof budgetWith>;

const spend = (budget: Budget, usd: number, context?: { userId: string }, at = NOW) =>
  budget.recordUsage({
    provider: 'acme',
    model: 'meter',
    usage: { inputTokens: Math.round(usd * 1e9) },
    timestamp: at,
    ...(context ? { context } : {}),
  });

/** A $10 monthly budget with `usd` spent. */
async function budgetAtSpend(usd: number, options: CreateBudgetOptions = {}) {
  const budget = budgetWith(options);
  if (usd > 0) await spend(budget, usd);
  return budget;
}

const models = (candidates: readonly ModelCandidate[]) => candidates.map((candidate) => candidate.model);
/** The reference request of `select`: 1,000 tokens in and 500 out, at the published prices. */
const reference = (model: string) => tokenCost(model, { input: 1_000, output: 500 });

describe('strategyForLevel', () => {
  it('maps the alert levels to the original strategies', () => {
    const levels: [AlertLevel, CostStrategy][] = [
      ['GREEN', 'QUALITY_FIRST'],
      ['YELLOW', 'QUALITY_FIRST'],
      ['ORANGE', 'BALANCED'],
      ['RED', 'CHEAPEST_FIRST'],
      ['CRITICAL', 'EMERGENCY_ONLY'],
    ];
    for (const [level, strategy] of levels) expect(strategyForLevel(level)).toBe(strategy);
    expect(COST_STRATEGIES).toEqual(['QUALITY_FIRST', 'BALANCED', 'CHEAPEST_FIRST', 'EMERGENCY_ONLY']);
  });
});

describe('budget.strategy()', () => {
  const cases: [usd: number, level: AlertLevel, strategy: CostStrategy][] = [
    [0, 'GREEN', 'QUALITY_FIRST'],
    [4.999999999, 'GREEN', 'QUALITY_FIRST'],
    [5, 'YELLOW', 'QUALITY_FIRST'],
    [7.499999999, 'YELLOW', 'QUALITY_FIRST'],
    [7.5, 'ORANGE', 'BALANCED'],
    [8.999999999, 'ORANGE', 'BALANCED'],
    [9, 'RED', 'CHEAPEST_FIRST'],
    [9.999999999, 'RED', 'CHEAPEST_FIRST'],
    [10, 'CRITICAL', 'EMERGENCY_ONLY'],
    [25, 'CRITICAL', 'EMERGENCY_ONLY'],
  ];
  for (const [usd, level, strategy] of cases) {
    it(`is ${strategy} at ${level} ($${usd} of $10 spent)`, async () => {
      const budget = await budgetAtSpend(usd);
      expect((await budget.status())[0]!.alertLevel).toBe(level);
      expect(await budget.strategy()).toBe(strategy);
    });
  }

  it('takes the most severe level of the budgets that apply', async () => {
    let now = NOW;
    const budget = createBudget({
      budgets: [
        { id: 'month', limitUsd: 100, period: 'month' },
        { id: 'day', limitUsd: 10, period: 'day' },
      ],
      prices: [METER],
      clock: () => now,
    });
    await spend(budget, 9.5, undefined, now);
    // The day is RED (95%), the month GREEN (9.5%).
    expect(
      Object.fromEntries((await budget.status()).map((status) => [status.budgetId, status.alertLevel])),
    ).toEqual({
      month: 'GREEN',
      day: 'RED',
    });
    expect(await budget.strategy()).toBe('CHEAPEST_FIRST');
    // The next day starts GREEN again; then the month reaches ORANGE (79.5%).
    now += 86_400_000;
    expect(await budget.strategy()).toBe('QUALITY_FIRST');
    await spend(budget, 70, undefined, now);
    expect(
      Object.fromEntries((await budget.status()).map((status) => [status.budgetId, status.alertLevel])),
    ).toEqual({
      month: 'ORANGE',
      day: 'CRITICAL',
    });
    expect(await budget.strategy()).toBe('EMERGENCY_ONLY');
    now += 86_400_000;
    expect(await budget.strategy()).toBe('BALANCED');
  });

  it('follows custom thresholds', async () => {
    const budget = await budgetAtSpend(6.5, {
      budgets: [{ id: 'app', limitUsd: 10, thresholds: { yellow: 0.4, orange: 0.6, red: 0.8 } }],
    });
    expect(await budget.strategy()).toBe('BALANCED');
  });

  it('uses the budgets of the user in context, from an argument or withContext', async () => {
    const budget = createBudget({
      budgets: [
        { id: 'app', limitUsd: 100 },
        { id: 'per-user', limitUsd: 1, scope: 'user' },
      ],
      prices: [METER],
      clock: () => NOW,
    });
    await spend(budget, 0.95, { userId: 'u-1' });
    expect(await budget.strategy({ userId: 'u-1' })).toBe('CHEAPEST_FIRST');
    expect(await budget.withContext({ userId: 'u-1' }, () => budget.strategy())).toBe('CHEAPEST_FIRST');
    expect(await budget.strategy({ userId: 'u-2' })).toBe('QUALITY_FIRST');
    expect(await budget.strategy()).toBe('QUALITY_FIRST');
  });

  it('ignores a budget pinned to another user, though status() still reports it', async () => {
    const budgets: BudgetConfig[] = [
      { id: 'app', limitUsd: 100 },
      { id: 'vip', limitUsd: 1, scope: 'user', scopeValue: 'u-1' },
    ];
    const budget = createBudget({ budgets, prices: [METER], clock: () => NOW });
    await spend(budget, 1, { userId: 'u-1' });
    expect(await budget.strategy({ userId: 'u-1' })).toBe('EMERGENCY_ONLY');
    const forOther = await budget.status({ userId: 'u-2' });
    expect(forOther.find((status) => status.budgetId === 'vip')?.alertLevel).toBe('CRITICAL');
    expect(await budget.strategy({ userId: 'u-2' })).toBe('QUALITY_FIRST');
    expect(await budget.strategy()).toBe('QUALITY_FIRST');
  });
});

const QUALITY_FIRST_ORDER = [
  'gpt-5',
  'claude-opus-4-5',
  'gpt-5-mini',
  'mistral-large-latest',
  'qwen-max',
  'mistral-medium-latest',
  'gpt-4.1',
  'gpt-4o',
  'claude-sonnet-4-5',
  'gpt-4o-mini',
  'mistral-small-latest',
  'qwen-plus',
  'gpt-4.1-mini',
  'claude-haiku-4-5',
  'qwen-turbo',
  'ministral-8b-latest',
  'gpt-5-nano',
  'qwen-flash',
  'gpt-4.1-nano',
];

describe('budget.select: LLMs', () => {
  it('prices every candidate for the reference request (1,000 tokens in, 500 out) at the published prices', async () => {
    const budget = await budgetAtSpend(0);
    const candidates = await budget.select({ service: 'llm', strategy: 'QUALITY_FIRST' });
    expect(candidates).toHaveLength(DEFAULT_MODEL_REGISTRY.filter((entry) => entry.service === 'llm').length);
    for (const candidate of candidates) {
      const cost = reference(`${candidate.provider}/${candidate.model}`);
      expect(candidate.estimatedCostNano, candidate.model).toBe(cost);
      expect(candidate.estimatedCostUsd).toBe(nanoToUsd(cost));
      expect(candidate).toMatchObject({ service: 'llm', local: false, affordable: true });
    }
    expect(candidates.find((candidate) => candidate.model === 'gpt-4o')).toMatchObject({
      provider: 'openai',
      tier: 3,
      estimatedCostNano: 7_500_000,
      reason: `tier 3, about ${formatUsd(7_500_000)} for this request`,
    });
  });

  it('QUALITY_FIRST: the best tier first, the cheaper model first within a tier', async () => {
    const budget = await budgetAtSpend(0);
    const candidates = await budget.select({ service: 'llm', strategy: 'QUALITY_FIRST' });
    expect(models(candidates)).toEqual(QUALITY_FIRST_ORDER);
    expect(candidates[0]!.reason).toBe(
      `tier 4, about ${formatUsd(6_250_000)} for this request: the best quality the budget affords`,
    );
  });

  it('QUALITY_FIRST: the best tier the budget affords, the rest last and marked', async () => {
    // $0.006 left: gpt-4.1 (exactly $0.006) fits; gpt-5, claude-opus-4-5, gpt-4o and claude-sonnet-4-5 do not.
    const budget = await budgetAtSpend(0, { budgets: [{ id: 'app', limitUsd: 0.006 }] });
    const candidates = await budget.select({ service: 'llm', strategy: 'QUALITY_FIRST' });
    expect(models(candidates)).toEqual([
      'gpt-5-mini',
      'mistral-large-latest',
      'qwen-max',
      'mistral-medium-latest',
      'gpt-4.1',
      'gpt-4o-mini',
      'mistral-small-latest',
      'qwen-plus',
      'gpt-4.1-mini',
      'claude-haiku-4-5',
      'qwen-turbo',
      'ministral-8b-latest',
      'gpt-5-nano',
      'qwen-flash',
      'gpt-4.1-nano',
      'gpt-5',
      'claude-opus-4-5',
      'gpt-4o',
      'claude-sonnet-4-5',
    ]);
    expect(candidates.map((candidate) => candidate.affordable)).toEqual([
      ...Array(15).fill(true),
      ...Array(4).fill(false),
    ]);
    expect(candidates.find((candidate) => candidate.model === 'gpt-4.1')!.estimatedCostNano).toBe(6_000_000);
    expect(candidates[15]!.reason).toBe(
      `tier 4, about ${formatUsd(6_250_000)} for this request: more than the ${formatUsd(6_000_000)} left`,
    );
  });

  it('BALANCED: the cheapest model within one tier of the best affordable', async () => {
    const full = await budgetAtSpend(0);
    // Best affordable tier 4: tiers 3–4 by price first, then tiers 1–2 by price.
    expect(models(await full.select({ service: 'llm', strategy: 'BALANCED' }))).toEqual([
      'gpt-5-mini',
      'mistral-large-latest',
      'qwen-max',
      'mistral-medium-latest',
      'gpt-4.1',
      'gpt-5',
      'gpt-4o',
      'claude-sonnet-4-5',
      'claude-opus-4-5',
      'qwen-turbo',
      'ministral-8b-latest',
      'gpt-5-nano',
      'qwen-flash',
      'gpt-4.1-nano',
      'gpt-4o-mini',
      'mistral-small-latest',
      'qwen-plus',
      'gpt-4.1-mini',
      'claude-haiku-4-5',
    ]);
    // Best affordable tier 3 with $0.006: tiers 2–3 by price, then tier 1, then what does not fit.
    const tight = await budgetAtSpend(0, { budgets: [{ id: 'app', limitUsd: 0.006 }] });
    const candidates = await tight.select({ service: 'llm', strategy: 'BALANCED' });
    expect(models(candidates)).toEqual([
      'gpt-4o-mini',
      'mistral-small-latest',
      'qwen-plus',
      'gpt-4.1-mini',
      'gpt-5-mini',
      'mistral-large-latest',
      'claude-haiku-4-5',
      'qwen-max',
      'mistral-medium-latest',
      'gpt-4.1',
      'qwen-turbo',
      'ministral-8b-latest',
      'gpt-5-nano',
      'qwen-flash',
      'gpt-4.1-nano',
      'gpt-5',
      'gpt-4o',
      'claude-sonnet-4-5',
      'claude-opus-4-5',
    ]);
    expect(candidates[0]!.reason).toBe(
      `tier 2, about ${formatUsd(450_000)} for this request: the cheapest model within one tier of the best affordable`,
    );
  });

  it('CHEAPEST_FIRST: the cheapest at or above minTier, the better tier first on a tie', async () => {
    const budget = await budgetAtSpend(0);
    expect(models(await budget.select({ service: 'llm', strategy: 'CHEAPEST_FIRST' }))).toEqual([
      'qwen-turbo',
      'ministral-8b-latest',
      'gpt-5-nano',
      'qwen-flash',
      'gpt-4.1-nano',
      'gpt-4o-mini',
      'mistral-small-latest',
      'qwen-plus',
      'gpt-4.1-mini',
      'gpt-5-mini',
      'mistral-large-latest',
      'claude-haiku-4-5',
      'qwen-max',
      'mistral-medium-latest',
      'gpt-4.1',
      'gpt-5',
      'gpt-4o',
      'claude-sonnet-4-5',
      'claude-opus-4-5',
    ]);
    const tierTwo = await budget.select({ service: 'llm', strategy: 'CHEAPEST_FIRST', minTier: 2 });
    expect(models(tierTwo).slice(0, 3)).toEqual(['gpt-4o-mini', 'mistral-small-latest', 'qwen-plus']);
    expect(tierTwo.every((candidate) => candidate.tier >= 2)).toBe(true);
    expect(tierTwo[0]!.reason).toBe(
      `tier 2, about ${formatUsd(450_000)} for this request: the cheapest model above the minimum tier`,
    );
    const tierFour = await budget.select({ service: 'llm', strategy: 'CHEAPEST_FIRST', minTier: 4 });
    expect(models(tierFour)).toEqual(['gpt-5', 'claude-opus-4-5']);
  });

  it('EMERGENCY_ONLY: a configured local model first at $0, else the cheapest', async () => {
    const withLocal = await budgetAtSpend(0, { models: [LLAMA] });
    const candidates = await withLocal.select({ service: 'llm', strategy: 'EMERGENCY_ONLY' });
    expect(candidates[0]).toEqual({
      provider: 'ollama',
      model: 'llama3.2',
      service: 'llm',
      tier: 1,
      local: true,
      estimatedCostNano: 0,
      estimatedCostUsd: 0,
      affordable: true,
      reason: 'tier 1, about $0.00 for this request: a local model, $0',
    });
    expect(models(candidates).slice(1, 4)).toEqual(['qwen-turbo', 'ministral-8b-latest', 'gpt-5-nano']);

    const withoutLocal = await budgetAtSpend(0);
    const [cheapest] = await withoutLocal.select({ service: 'llm', strategy: 'EMERGENCY_ONLY' });
    expect(cheapest).toMatchObject({ model: 'qwen-turbo', local: false, estimatedCostNano: 150_000 });
    expect(cheapest!.reason).toBe(
      `tier 1, about ${formatUsd(150_000)} for this request: the cheapest model (no local model configured)`,
    );
  });

  it('keeps a local $0 model affordable over budget, as the gate admits it', async () => {
    const budget = await budgetAtSpend(12, { models: [LLAMA] });
    const candidates = await budget.select({ service: 'llm' });
    expect(candidates[0]).toMatchObject({
      model: 'llama3.2',
      affordable: true,
      reason: 'tier 1, about $0.00 for this request: a local model, $0',
    });
    expect(candidates.slice(1).every((candidate) => !candidate.affordable)).toBe(true);
    const admission = await budget.gate({
      provider: 'ollama',
      model: 'llama3.2',
      inputTokens: 1_000,
      maxOutputTokens: 500,
    });
    expect(admission.reservedNano).toBe(0);
    await expect(
      budget.gate({ provider: 'openai', model: 'gpt-5-nano', inputTokens: 1_000, maxOutputTokens: 500 }),
    ).rejects.toBeInstanceOf(BudgetExceededError);
  });

  it('uses the strategy of the current alert level when none is given', async () => {
    const first = async (usd: number) => (await (await budgetAtSpend(usd)).select({ service: 'llm' }))[0]!;
    expect((await first(0)).model).toBe('gpt-5');
    expect((await first(5)).model).toBe('gpt-5');
    expect((await first(7.5)).model).toBe('gpt-5-mini');
    expect(await first(9)).toMatchObject({ model: 'qwen-turbo', affordable: true });
    // Nothing remains at CRITICAL: the cheapest comes first, marked unaffordable.
    expect(await first(10)).toMatchObject({
      model: 'qwen-turbo',
      affordable: false,
      reason: `tier 1, about ${formatUsd(150_000)} for this request: more than the $0.00 left`,
    });
  });

  it('marks what the per-call cap at RED refuses as unaffordable, like the gate', async () => {
    // $9.10 of $10: RED, $0.90 left, but a single call must cost less than $0.05.
    const budget = await budgetAtSpend(9.1);
    const estimatedTokens = { input: 20_000, output: 0 };
    const candidates = await budget.select({
      service: 'llm',
      strategy: 'QUALITY_FIRST',
      providers: ['openai'],
      estimatedTokens,
    });
    // gpt-4o: 20,000 × $2.50 = exactly the $0.05 cap.
    const gpt4o = candidates.find((candidate) => candidate.model === 'gpt-4o')!;
    expect(gpt4o).toMatchObject({ estimatedCostNano: 50_000_000, affordable: false });
    expect(candidates.at(-1)!.model).toBe('gpt-4o');
    expect(models(candidates).slice(0, 2)).toEqual(['gpt-5', 'gpt-5-mini']);
    const refused = await budget
      .gate({ provider: 'openai', model: 'gpt-4o', inputTokens: 20_000, maxOutputTokens: 0 })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ name: 'BudgetExceededError', reason: 'per-call-cap' });
    // gpt-4.1: 20,000 × $2 = $0.04 fits, and the gate admits it.
    expect(candidates.find((candidate) => candidate.model === 'gpt-4.1')).toMatchObject({
      estimatedCostNano: 40_000_000,
      affordable: true,
    });
    const admitted = await budget.gate({
      provider: 'openai',
      model: 'gpt-4.1',
      inputTokens: 20_000,
      maxOutputTokens: 0,
    });
    expect(admitted.reservedNano).toBe(40_000_000);
    await admitted.release();
  });

  it('filters by provider and prices the request size asked for', async () => {
    const budget = await budgetAtSpend(0);
    const anthropic = await budget.select({
      service: 'llm',
      strategy: 'CHEAPEST_FIRST',
      providers: ['anthropic'],
      estimatedTokens: { input: 4_000, output: 1_000 },
    });
    expect(anthropic.map((candidate) => [candidate.model, candidate.estimatedCostNano])).toEqual([
      ['claude-haiku-4-5', tokenCost('anthropic/claude-haiku-4-5', { input: 4_000, output: 1_000 })],
      ['claude-sonnet-4-5', tokenCost('anthropic/claude-sonnet-4-5', { input: 4_000, output: 1_000 })],
      ['claude-opus-4-5', tokenCost('anthropic/claude-opus-4-5', { input: 4_000, output: 1_000 })],
    ]);
    expect(anthropic[0]!.estimatedCostNano).toBe(9_000_000);
    // A number is the input; the output stays 500.
    const two = await budget.select({
      service: 'llm',
      strategy: 'QUALITY_FIRST',
      providers: ['mistral', 'qwen'],
      minTier: 3,
      estimatedTokens: 2_000,
    });
    expect(two.map((candidate) => [candidate.model, candidate.estimatedCostNano])).toEqual([
      ['mistral-large-latest', tokenCost('mistral/mistral-large-latest', { input: 2_000, output: 500 })],
      ['qwen-max', tokenCost('qwen/qwen-max', { input: 2_000, output: 500 })],
      ['mistral-medium-latest', tokenCost('mistral/mistral-medium-latest', { input: 2_000, output: 500 })],
    ]);
    expect(await budget.select({ service: 'llm', providers: ['nobody'] })).toEqual([]);
  });

  it('rejects bad options with ValidationError', async () => {
    const budget = await budgetAtSpend(0);
    const bad = [
      { service: 'video' },
      { service: 'llm', strategy: 'FASTEST' },
      { service: 'llm', minTier: 5 },
      { service: 'llm', minTier: -1 },
      { service: 'llm', minTier: 1.5 },
      { service: 'llm', providers: ['$where'] },
      { service: 'llm', providers: [42] },
      { service: 'llm', estimatedTokens: -5 },
    ];
    for (const options of bad) {
      await expect(budget.select(options as never), JSON.stringify(options)).rejects.toBeInstanceOf(
        ValidationError,
      );
    }
  });
});

describe('budget.select: speech and embeddings', () => {
  it('speech to text: a minute of audio by default, priced per minute or per audio token', async () => {
    const budget = await budgetAtSpend(0);
    const costs = (candidates: ModelCandidate[]) =>
      candidates.map((candidate) => [candidate.model, candidate.estimatedCostNano]);
    // gpt-4o-transcribe: 60 s ≈ 1,020 audio tokens × $6 + 240 transcript tokens × $10 per million;
    // gpt-4o-mini-transcribe the same at $3 / $5; whisper-1 $0.006, voxtral-mini $0.003, Watson $0.02 a minute.
    expect(costs(await budget.select({ service: 'stt', strategy: 'QUALITY_FIRST' }))).toEqual([
      ['gpt-4o-transcribe', 6_120_000 + 2_400_000],
      ['voxtral-mini-latest', 3_000_000],
      ['gpt-4o-mini-transcribe', 3_060_000 + 1_200_000],
      ['whisper-1', 6_000_000],
      ['speech-to-text', 20_000_000],
    ]);
    expect(models(await budget.select({ service: 'stt', strategy: 'CHEAPEST_FIRST' }))).toEqual([
      'voxtral-mini-latest',
      'gpt-4o-mini-transcribe',
      'whisper-1',
      'gpt-4o-transcribe',
      'speech-to-text',
    ]);
    expect(
      costs(
        await budget.select({
          service: 'stt',
          strategy: 'CHEAPEST_FIRST',
          audioSeconds: 30,
          providers: ['openai'],
        }),
      ),
    ).toEqual([
      ['gpt-4o-mini-transcribe', 1_530_000 + 600_000],
      ['whisper-1', 3_000_000],
      ['gpt-4o-transcribe', 3_060_000 + 1_200_000],
    ]);
  });

  it('text to speech: 1,000 characters by default, per character or per audio token', async () => {
    const budget = await budgetAtSpend(0);
    // tts-1-hd $30, tts-1 $15, Watson $20 per million characters; gpt-4o-mini-tts 1,500 audio tokens × $12 per million.
    const quality = await budget.select({ service: 'tts', strategy: 'QUALITY_FIRST' });
    expect(
      quality.map((candidate) => [
        candidate.provider,
        candidate.model,
        candidate.tier,
        candidate.estimatedCostNano,
      ]),
    ).toEqual([
      ['openai', 'tts-1-hd', 4, 30_000_000],
      ['openai', 'tts-1', 3, 15_000_000],
      ['openai', 'gpt-4o-mini-tts', 3, 18_000_000],
      ['ibm_watson', 'text-to-speech', 2, 20_000_000],
    ]);
    const cheapest = await budget.select({ service: 'tts', strategy: 'CHEAPEST_FIRST', characters: 2_000 });
    expect(cheapest.map((candidate) => [candidate.model, candidate.estimatedCostNano])).toEqual([
      ['tts-1', 30_000_000],
      ['gpt-4o-mini-tts', 36_000_000],
      ['text-to-speech', 40_000_000],
      ['tts-1-hd', 60_000_000],
    ]);
    expect(cheapest.every((candidate) => candidate.service === 'tts')).toBe(true);
  });

  it('embeddings: priced on the input tokens only', async () => {
    const budget = await budgetAtSpend(0);
    const quality = await budget.select({ service: 'embedding', strategy: 'QUALITY_FIRST' });
    expect(quality.map((candidate) => [candidate.model, candidate.estimatedCostNano])).toEqual([
      ['text-embedding-3-large', 130_000],
      ['text-embedding-3-small', 20_000],
      ['text-embedding-v3', 70_000],
      ['mistral-embed', 100_000],
    ]);
    const large = await budget.select({
      service: 'embedding',
      strategy: 'BALANCED',
      estimatedTokens: 10_000,
    });
    expect(large.map((candidate) => [candidate.model, candidate.estimatedCostNano])).toEqual([
      ['text-embedding-3-small', 200_000],
      ['text-embedding-v3', 700_000],
      ['mistral-embed', 1_000_000],
      ['text-embedding-3-large', 1_300_000],
    ]);
  });

  it('has no candidates for a service the registry does not rate', async () => {
    const budget = await budgetAtSpend(0);
    expect(await budget.select({ service: 'ocr', strategy: 'QUALITY_FIRST' })).toEqual([]);
  });
});

describe('budget.downgradeFor', () => {
  it('keeps the model under QUALITY_FIRST (GREEN and YELLOW)', async () => {
    for (const usd of [0, 6]) {
      const budget = await budgetAtSpend(usd);
      expect(await budget.downgradeFor({ provider: 'openai', model: 'gpt-4o' })).toBeUndefined();
    }
  });

  it('BALANCED (ORANGE): the cheapest same-provider model within one tier of the best', async () => {
    const budget = await budgetAtSpend(8);
    expect(await budget.downgradeFor({ provider: 'openai', model: 'gpt-4o' })).toEqual({
      model: 'gpt-5-mini',
      reason: `BALANCED: tier 3, about ${formatUsd(1_250_000)} for this request: the cheapest model within one tier of the best affordable`,
    });
    // claude-opus-4-5 costs more than claude-sonnet-4-5: the downgrade is claude-haiku-4-5.
    expect(await budget.downgradeFor({ provider: 'anthropic', model: 'claude-sonnet-4-5' })).toEqual({
      model: 'claude-haiku-4-5',
      reason: `BALANCED: tier 2, about ${formatUsd(3_500_000)} for this request`,
    });
  });

  it('CHEAPEST_FIRST (RED) and EMERGENCY_ONLY (CRITICAL): the cheapest model of the provider', async () => {
    const red = await budgetAtSpend(9.5);
    expect(await red.downgradeFor({ provider: 'openai', model: 'gpt-4o' })).toEqual({
      model: 'gpt-5-nano',
      reason: `CHEAPEST_FIRST: tier 1, about ${formatUsd(250_000)} for this request: the cheapest model above the minimum tier`,
    });
    expect((await red.downgradeFor({ provider: 'mistral', model: 'mistral-large-latest' }))?.model).toBe(
      'ministral-8b-latest',
    );
    expect((await red.downgradeFor({ provider: 'qwen', model: 'qwen-max' }))?.model).toBe('qwen-turbo');
    const critical = await budgetAtSpend(10);
    expect((await critical.downgradeFor({ provider: 'openai', model: 'gpt-4o' }))?.model).toBe('gpt-5-nano');
    expect((await critical.downgradeFor({ provider: 'openai', model: 'gpt-4o' }))?.reason).toMatch(
      /^EMERGENCY_ONLY: tier 1, /,
    );
  });

  it('returns undefined when the model is already the cheapest of its provider', async () => {
    const budget = await budgetAtSpend(9.5, { models: [LLAMA] });
    expect(await budget.downgradeFor({ provider: 'openai', model: 'gpt-5-nano' })).toBeUndefined();
    expect(await budget.downgradeFor({ provider: 'anthropic', model: 'claude-haiku-4-5' })).toBeUndefined();
    expect(await budget.downgradeFor({ provider: 'ollama', model: 'llama3.2' })).toBeUndefined();
  });

  it('follows the budgets of the user in context', async () => {
    const budget = createBudget({
      budgets: [
        { id: 'app', limitUsd: 100 },
        { id: 'per-user', limitUsd: 1, scope: 'user' },
      ],
      prices: [METER],
      clock: () => NOW,
    });
    await spend(budget, 0.95, { userId: 'u-1' });
    expect(
      (await budget.downgradeFor({ provider: 'openai', model: 'gpt-4o', context: { userId: 'u-1' } }))?.model,
    ).toBe('gpt-5-nano');
    expect(
      await budget.downgradeFor({ provider: 'openai', model: 'gpt-4o', context: { userId: 'u-2' } }),
    ).toBeUndefined();
  });

  it('works for speech and embeddings', async () => {
    const budget = await budgetAtSpend(9.5);
    expect(
      (await budget.downgradeFor({ provider: 'openai', service: 'tts', model: 'tts-1-hd' }))?.model,
    ).toBe('tts-1');
    expect((await budget.downgradeFor({ provider: 'openai', model: 'text-embedding-3-large' }))?.model).toBe(
      'text-embedding-3-small',
    );
  });

  it('rejects bad ids with ValidationError', async () => {
    const budget = await budgetAtSpend(9.5);
    await expect(budget.downgradeFor({ provider: '$where', model: 'gpt-4o' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(budget.downgradeFor({ provider: 'openai', model: '' })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});

describe('ModelRegistry', () => {
  it('rates models across providers and services by default, with no local model', () => {
    const registry = new ModelRegistry();
    expect(registry.find('openai', 'gpt-4o')?.tier).toBe(3);
    expect(registry.find('openai', 'gpt-4o-mini')?.tier).toBe(2);
    expect(registry.find('anthropic', 'claude-opus-4-5')?.tier).toBe(4);
    expect(registry.find('ibm_watson', 'speech-to-text')).toEqual({
      provider: 'ibm_watson',
      model: 'speech-to-text',
      service: 'stt',
      tier: 2,
    });
    expect(registry.find('openai', 'gpt-3.5-turbo')).toBeUndefined();
    const providers = (service: 'llm' | 'stt' | 'tts' | 'embedding') =>
      [...new Set(registry.list(service).map((entry) => entry.provider))].sort();
    expect(providers('llm')).toEqual(['anthropic', 'mistral', 'openai', 'qwen']);
    expect(providers('stt')).toEqual(['ibm_watson', 'mistral', 'openai']);
    expect(providers('tts')).toEqual(['ibm_watson', 'openai']);
    expect(providers('embedding')).toEqual(['mistral', 'openai', 'qwen']);
    expect(registry.list()).toHaveLength(DEFAULT_MODEL_REGISTRY.length);
    expect(registry.list().some((entry) => entry.local)).toBe(false);
  });

  it('lets the app re-rate a model, add its own, or start from nothing', () => {
    const registry = new ModelRegistry([
      { provider: 'openai', model: 'gpt-4o', service: 'llm', tier: 4 },
      LLAMA,
      { provider: 'mistral', model: 'codestral-latest', service: 'llm', tier: 2, local: false },
    ]);
    expect(registry.find('openai', 'gpt-4o')?.tier).toBe(4);
    expect(registry.find('ollama', 'llama3.2')).toEqual(LLAMA);
    expect(registry.find('mistral', 'codestral-latest')).toEqual({
      provider: 'mistral',
      model: 'codestral-latest',
      service: 'llm',
      tier: 2,
    });
    expect(registry.list()).toHaveLength(DEFAULT_MODEL_REGISTRY.length + 2);
    registry.set({ provider: 'openai', model: 'gpt-4o', service: 'llm', tier: 1 });
    expect(registry.find('openai', 'gpt-4o')?.tier).toBe(1);

    const own = new ModelRegistry([LLAMA], { includeDefaults: false });
    expect(own.list()).toEqual([LLAMA]);
    expect(own.list('stt')).toEqual([]);
  });

  it('changes what select ranks when given to createBudget', async () => {
    const budget = await budgetAtSpend(0, {
      models: [
        { provider: 'openai', model: 'gpt-5', service: 'llm', tier: 2 },
        { provider: 'openai', model: 'tts-1', service: 'tts', tier: 4 },
      ],
    });
    expect((await budget.select({ service: 'llm', strategy: 'QUALITY_FIRST' }))[0]!.model).toBe(
      'claude-opus-4-5',
    );
    expect(models(await budget.select({ service: 'tts', strategy: 'QUALITY_FIRST' })).slice(0, 2)).toEqual([
      'tts-1',
      'tts-1-hd',
    ]);
  });

  it('validates every entry, naming the field', () => {
    const base: ModelRegistryEntry = { provider: 'openai', model: 'gpt-4o', service: 'llm', tier: 3 };
    const bad: [Partial<Record<keyof ModelRegistryEntry, unknown>>, string][] = [
      [{ tier: 0 }, 'models[0].tier'],
      [{ tier: 5 }, 'models[0].tier'],
      [{ tier: 2.5 }, 'models[0].tier'],
      [{ tier: '3' }, 'models[0].tier'],
      [{ provider: '' }, 'models[0].provider'],
      [{ provider: '$where' }, 'models[0].provider'],
      [{ model: 'gpt\u00004o' }, 'models[0].model'],
      [{ model: 42 }, 'models[0].model'],
      [{ service: 'video' }, 'models[0].service'],
    ];
    for (const [change, field] of bad) {
      const entry = { ...base, ...change } as ModelRegistryEntry;
      let caught: unknown;
      try {
        new ModelRegistry([entry]);
      } catch (error) {
        caught = error;
      }
      expect(caught, JSON.stringify(change)).toBeInstanceOf(ValidationError);
      expect((caught as ValidationError).field).toBe(field);
      expect(() => createBudget({ models: [entry] })).toThrow(ValidationError);
    }
    expect(() => new ModelRegistry().set({ ...base, tier: 9 as never }, 'override')).toThrow(
      expect.objectContaining({ field: 'override.tier' }),
    );
  });
});
