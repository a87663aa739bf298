import { BudgetExceededError, ValidationError } from '@tollgate/core';
import { type Emulator, startEmulator } from '@tollgate/emulator';
import { APICallError, generateText, wrapLanguageModel } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API_KEY, providersOf, recordsOf, sentOutputLimits, spent, testBudget } from './ai-sdk-test-support';
import { tollgateMiddleware } from './index';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('generateText through tollgateMiddleware', () => {
  it.each([
    [
      'openai (Responses API)',
      (p: ReturnType<typeof providersOf>) => p.openai('gpt-4o-mini'),
      'openai',
      'gpt-4o-mini',
    ],
    [
      'openai (chat completions)',
      (p: ReturnType<typeof providersOf>) => p.openai.chat('gpt-4o-mini'),
      'openai',
      'gpt-4o-mini',
    ],
    [
      'anthropic',
      (p: ReturnType<typeof providersOf>) => p.anthropic('claude-sonnet-4-5'),
      'anthropic',
      'claude-sonnet-4-5',
    ],
    [
      'google',
      (p: ReturnType<typeof providersOf>) => p.google('gemini-2.5-flash'),
      'google',
      'gemini-2.5-flash',
    ],
    [
      'openai-compatible (groq)',
      (p: ReturnType<typeof providersOf>) => p.compatible('groq')('llama-3.3-70b-versatile'),
      'groq',
      'llama-3.3-70b-versatile',
    ],
  ])(
    'records %s at the usage the provider returned, with its provider and model',
    async (_name, modelOf, provider, model) => {
      const budget = testBudget();
      const wrapped = wrapLanguageModel({
        model: modelOf(providersOf(emulator)),
        middleware: tollgateMiddleware(budget),
      });
      const result = await generateText({
        model: wrapped,
        prompt: 'Say hello to the budget tests.',
        maxOutputTokens: 20,
        maxRetries: 0,
      });
      const [record, ...others] = await recordsOf(budget);
      expect(others).toEqual([]);
      expect(record).toMatchObject({ provider, model, estimated: false });
      expect(record!.inputTokens).toBe(result.usage.inputTokens);
      expect(record!.outputTokens).toBe(result.usage.outputTokens);
      expect(result.usage.outputTokens).toBe(20);
      expect(record!.cost).toBeGreaterThan(0);
      const { used, reserved } = await spent(budget);
      expect(used).toBe(record!.cost);
      expect(reserved).toBe(0);
      expect(JSON.stringify(record)).not.toContain(API_KEY);
    },
  );

  it('records cache reads and reasoning from the usage', async () => {
    const budget = testBudget();
    const { openai } = providersOf(emulator, {
      'x-emulator-cached-tokens': '1024',
      'x-emulator-reasoning-tokens': '32',
    });
    const wrapped = wrapLanguageModel({
      model: openai.chat('o4-mini'),
      middleware: tollgateMiddleware(budget),
    });
    const result = await generateText({
      model: wrapped,
      prompt: 'Think.',
      maxOutputTokens: 200,
      maxRetries: 0,
    });
    const [record] = await recordsOf(budget);
    expect(record!.cacheReadTokens).toBe(1024);
    expect(record!.inputTokens).toBe(result.usage.inputTokens);
    expect(record!.reasoningTokens).toBe(32);
    expect(record!.outputTokens).toBe(result.usage.outputTokens);
  });

  it('refuses a call that does not fit before anything is sent, holding nothing', async () => {
    const budget = testBudget(0.000_001);
    const { openai } = providersOf(emulator);
    const wrapped = wrapLanguageModel({
      model: openai.chat('gpt-4o'),
      middleware: tollgateMiddleware(budget),
    });
    const error = await generateText({
      model: wrapped,
      prompt: 'Write an essay.',
      maxOutputTokens: 4_000,
      maxRetries: 0,
    }).catch((caught: unknown) => caught);
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    expect(emulator.requests).toEqual([]);
    expect(await spent(budget)).toEqual({ used: 0, reserved: 0 });
  });

  it("clamps maxOutputTokens to what the budget affords with onInsufficientBudget: 'clamp'", async () => {
    // gpt-4o output is $10 per million tokens: $0.001 leaves room for well under 100 output tokens.
    const budget = testBudget(0.001);
    const { openai } = providersOf(emulator);
    const wrapped = wrapLanguageModel({
      model: openai.chat('gpt-4o'),
      middleware: tollgateMiddleware(budget, { onInsufficientBudget: 'clamp' }),
    });
    const result = await generateText({
      model: wrapped,
      prompt: 'Write an essay.',
      maxOutputTokens: 4_000,
      maxRetries: 0,
    });
    const [sent] = sentOutputLimits(emulator);
    expect(typeof sent).toBe('number');
    expect(sent).toBeLessThan(100);
    expect(sent).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBe(Math.min(sent as number, 64));
    const { used, reserved } = await spent(budget);
    expect(used).toBeLessThanOrEqual(1_000_000);
    expect(reserved).toBe(0);
  });

  it('releases the hold when the provider answers with an error, which reaches the caller', async () => {
    const budget = testBudget();
    emulator.faults.error = { status: 500 };
    const { anthropic } = providersOf(emulator);
    const wrapped = wrapLanguageModel({
      model: anthropic('claude-sonnet-4-5'),
      middleware: tollgateMiddleware(budget),
    });
    const error = await generateText({
      model: wrapped,
      prompt: 'Hello',
      maxOutputTokens: 20,
      maxRetries: 0,
    }).catch((caught: unknown) => caught);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(emulator.requests).toHaveLength(1);
    expect(await recordsOf(budget)).toEqual([]);
    expect(await spent(budget)).toEqual({ used: 0, reserved: 0 });
  });

  it("charges the AI SDK's retries once: each failed attempt's hold is released, the answer recorded once", async () => {
    const budget = testBudget();
    emulator.faults.error = { status: 429, times: 2 };
    const { openai } = providersOf(emulator);
    const wrapped = wrapLanguageModel({
      model: openai.chat('gpt-4o-mini'),
      middleware: tollgateMiddleware(budget),
    });
    await generateText({ model: wrapped, prompt: 'Hello', maxOutputTokens: 20, maxRetries: 2 });
    expect(emulator.requests.map((request) => request.status)).toEqual([429, 429, 200]);
    const records = await recordsOf(budget);
    expect(records).toHaveLength(1);
    const { used, reserved } = await spent(budget);
    expect(used).toBe(records[0]!.cost);
    expect(reserved).toBe(0);
  });

  it('records usage it cannot trust from local counts, marked estimated, and warns', async () => {
    const warnings: string[] = [];
    const budget = testBudget(100, { onWarning: (warning) => warnings.push(warning.code) });
    const { openai } = providersOf(emulator, {
      'x-emulator-usage-json': '{"prompt_tokens":-5,"completion_tokens":3,"total_tokens":-2}',
    });
    const wrapped = wrapLanguageModel({
      model: openai.chat('gpt-4o-mini'),
      middleware: tollgateMiddleware(budget),
    });
    const result = await generateText({
      model: wrapped,
      prompt: 'Hello there',
      maxOutputTokens: 20,
      maxRetries: 0,
    });
    const [record] = await recordsOf(budget);
    expect(result.text.length).toBeGreaterThan(0);
    expect(record).toMatchObject({ estimated: true });
    expect(record!.inputTokens).toBeGreaterThan(0);
    expect(record!.outputTokens).toBeGreaterThan(0);
    expect(record!.cost).toBeGreaterThan(0);
    expect(warnings).toContain('TOLLGATE_UNTRUSTED_USAGE');
  });

  it('records a provider the price data does not know as its own, never at $0', async () => {
    const budget = testBudget(100, { onWarning: () => {} });
    const wrapped = wrapLanguageModel({
      model: providersOf(emulator).compatible('acme-llm')('acme-large'),
      middleware: tollgateMiddleware(budget),
    });
    await generateText({ model: wrapped, prompt: 'Hello', maxOutputTokens: 20, maxRetries: 0 });
    const [record] = await recordsOf(budget);
    expect(record).toMatchObject({ provider: 'acme-llm', model: 'acme-large' });
    expect(record!.cost).toBeGreaterThan(0);
  });

  it('records every model under the provider option when one is given', async () => {
    const budget = testBudget();
    const wrapped = wrapLanguageModel({
      model: providersOf(emulator).compatible('my-proxy')('gpt-4o-mini'),
      middleware: tollgateMiddleware(budget, { provider: 'openai', requestType: 'chat' }),
    });
    await generateText({ model: wrapped, prompt: 'Hello', maxOutputTokens: 20, maxRetries: 0 });
    const [record] = await recordsOf(budget);
    expect(record).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', requestType: 'chat' });
  });

  it('checks its options when it is made', () => {
    const budget = testBudget();
    expect(() => tollgateMiddleware(budget, { onInsufficientBudgt: 'clamp' } as never)).toThrow(
      /onInsufficientBudget/,
    );
    expect(() => tollgateMiddleware(budget, { onInsufficientBudget: 'shrink' } as never)).toThrow(
      ValidationError,
    );
    expect(() => tollgateMiddleware(budget, { downgrade: true } as never)).toThrow(/downgrade/);
    expect(() => tollgateMiddleware({} as never)).toThrow(/BudgetManager/);
  });
});
