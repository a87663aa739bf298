import { afterEach, describe, expect, it, vi } from 'vitest';
import { BudgetExceededError, createBudget } from '../index';
import { resolveAdapterOptions } from './adapter-options';
import type { AdapterRuntime } from './adapter-runtime';
import type { CallPlan } from './call-plan';
import { gatePlan } from './gate-plan';
import type { EstimateWith } from './prompt-counting';

afterEach(() => {
  vi.useRealTimers();
});

// gpt-4o-mini: $0.15 input, $0.60 output per million tokens. The plan's prompt is given as a
// local count of 10,000 tokens standing in for a bound; the exact count is 1,000.
const BOUND_TOKENS = 10_000;
const EXACT_TOKENS = 1_000;
const worstCase = (promptTokens: number, outputTokens = 1_000) => promptTokens * 150 + outputTokens * 600;

function setup(
  limitNano: number,
  options: {
    estimateWith?: EstimateWith;
    onInsufficientBudget?: 'throw' | 'clamp';
    count?: () => Promise<number>;
  } = {},
) {
  const budget = createBudget({
    budgets: [{ id: 'app', limitUsd: limitNano / 1e9, period: 'month', perCallCapsUsd: false }],
  });
  const runtime: AdapterRuntime = {
    budget,
    options: resolveAdapterOptions(
      options.onInsufficientBudget === undefined
        ? {}
        : { onInsufficientBudget: options.onInsufficientBudget },
      { provider: 'openai', label: 'Fake' },
    ),
    promptCounting: { estimateWith: options.estimateWith ?? 'auto', countTimeoutMs: 1_000 },
  };
  const signals: AbortSignal[] = [];
  const plan: CallPlan = {
    gate: { model: 'gpt-4o-mini', service: 'llm', inputTokens: BOUND_TOKENS, maxOutputTokens: 1_000 },
    countPromptExactly: (signal) => {
      signals.push(signal);
      return options.count ? options.count() : Promise.resolve(EXACT_TOKENS);
    },
  };
  return { budget, signals, admit: () => gatePlan(runtime, plan, undefined) };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

describe("gatePlan with estimateWith 'auto'", () => {
  it('holds the local count and asks for no exact count when it fits', async () => {
    const { signals, admit } = setup(worstCase(BOUND_TOKENS));
    expect((await admit()).reservedNano).toBe(worstCase(BOUND_TOKENS));
    expect(signals).toHaveLength(0);
  });

  it('counts once when the local count is refused, holding nothing meanwhile, and admits the exact count', async () => {
    let answer: (tokens: number) => void = () => {};
    const { budget, signals, admit } = setup(worstCase(BOUND_TOKENS) - 1, {
      count: () => new Promise((resolve) => (answer = resolve)),
    });
    const admission = admit();
    await vi.waitFor(() => expect(signals).toHaveLength(1));
    expect((await budget.status())[0]!.reservedNano).toBe(0);
    answer(EXACT_TOKENS);
    expect((await admission).reservedNano).toBe(worstCase(EXACT_TOKENS));
    expect(signals).toHaveLength(1);
  });

  it('clamps from the exact count in clamp mode', async () => {
    const { admit } = setup(worstCase(EXACT_TOKENS, 500), { onInsufficientBudget: 'clamp' });
    const admission = await admit();
    expect(admission.maxOutputTokens).toBe(500);
    expect(admission.reservedNano).toBe(worstCase(EXACT_TOKENS, 500));
  });

  it('gives the refusal of the local count when the count fails, and its clamp in clamp mode', async () => {
    const limit = worstCase(BOUND_TOKENS, 500);
    const failing = () => Promise.reject(new Error('429'));
    const { admit, signals } = setup(limit, { count: failing });
    const error = await failureOf(admit());
    expect(error).toMatchObject({ reason: 'insufficient-remaining', neededNano: worstCase(BOUND_TOKENS) });
    expect(signals).toHaveLength(1);
    const clamped = setup(limit, { onInsufficientBudget: 'clamp', count: failing });
    const admission = await clamped.admit();
    expect(admission.maxOutputTokens).toBe(500);
    expect(admission.estimate.inputTokens).toBe(BOUND_TOKENS);
  });

  it('gives the local count’s decision when the count takes longer than the timeout, and aborts it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { admit, signals } = setup(worstCase(EXACT_TOKENS), { count: () => new Promise(() => {}) });
    const error = failureOf(admit());
    await vi.waitFor(() => expect(signals).toHaveLength(1), { interval: 0 });
    vi.advanceTimersByTime(999);
    expect(signals[0]!.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(signals[0]!.aborted).toBe(true);
    expect(await error).toMatchObject({
      reason: 'insufficient-remaining',
      neededNano: worstCase(BOUND_TOKENS),
    });
  });

  it('keeps the local count when the count answers something that is not a count', async () => {
    for (const answer of [-1, 1.5, Number.NaN, '1000' as never]) {
      const { admit } = setup(worstCase(EXACT_TOKENS), { count: () => Promise.resolve(answer) });
      expect(BudgetExceededError.isInstance(await failureOf(admit()))).toBe(true);
    }
  });

  it('asks for no count when the call would not fit even with no prompt', async () => {
    const { admit, signals } = setup(worstCase(0) - 1);
    expect(await failureOf(admit())).toMatchObject({ reason: 'insufficient-remaining' });
    // In clamp mode, not even one output token.
    const clamped = setup(worstCase(0, 1) - 1, { onInsufficientBudget: 'clamp' });
    expect(await failureOf(clamped.admit())).toMatchObject({ reason: 'insufficient-remaining' });
    expect([...signals, ...clamped.signals]).toHaveLength(0);
    // Room for the exact prompt and 16 output tokens: the count is worth asking for.
    const counted = setup(worstCase(EXACT_TOKENS, 16), { onInsufficientBudget: 'clamp' });
    expect((await counted.admit()).maxOutputTokens).toBe(16);
    expect(counted.signals).toHaveLength(1);
  });

  it('refuses in clamp mode with the cost of the smallest output, as the gate does without counting', async () => {
    const clamped = setup(worstCase(0, 1) - 1, { onInsufficientBudget: 'clamp' });
    const error = (await failureOf(clamped.admit())) as BudgetExceededError;
    expect(error.smallest).toMatchObject({ outputTokens: 16 });
    expect(error.message).toContain('Shrunk to its smallest output (16 tokens, minOutputTokens)');
    expect(clamped.signals).toHaveLength(0);
  });

  it('asks for no count when nothing is left', async () => {
    const { budget, admit, signals } = setup(worstCase(BOUND_TOKENS));
    await budget.recordUsage({
      provider: 'openai',
      model: 'gpt-4o-mini',
      usage: { outputTokens: 10_000_000 },
    });
    expect(await failureOf(admit())).toMatchObject({ reason: 'over-budget' });
    expect(signals).toHaveLength(0);
  });
});

describe('gatePlan with the other modes', () => {
  it("'bound' never counts; 'countTokens' counts every call and keeps the local count when the count fails", async () => {
    const bound = setup(worstCase(BOUND_TOKENS) - 1, { estimateWith: 'bound' });
    expect(BudgetExceededError.isInstance(await failureOf(bound.admit()))).toBe(true);
    expect(bound.signals).toHaveLength(0);

    const counted = setup(worstCase(BOUND_TOKENS) * 10, { estimateWith: 'countTokens' });
    expect((await counted.admit()).reservedNano).toBe(worstCase(EXACT_TOKENS));
    expect(counted.signals).toHaveLength(1);

    const failed = setup(worstCase(BOUND_TOKENS) * 10, {
      estimateWith: 'countTokens',
      count: () => Promise.reject(new Error('offline')),
    });
    expect((await failed.admit()).reservedNano).toBe(worstCase(BOUND_TOKENS));
  });
});
