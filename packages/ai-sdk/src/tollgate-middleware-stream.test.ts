import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type Emulator, startEmulator } from '@tollgate/emulator';
import { streamText, wrapLanguageModel } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { providersOf, recordsOf, sentOutputLimits, spent, testBudget, until } from './ai-sdk-test-support';
import { tollgateMiddleware } from './index';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

type Providers = ReturnType<typeof providersOf>;
const MODELS: [string, (providers: Providers) => Parameters<typeof wrapLanguageModel>[0]['model'], string][] =
  [
    ['openai (Responses API)', (p) => p.openai('gpt-4o-mini'), 'openai'],
    ['openai (chat completions)', (p) => p.openai.chat('gpt-4o-mini'), 'openai'],
    ['anthropic', (p) => p.anthropic('claude-sonnet-4-5'), 'anthropic'],
    ['google', (p) => p.google('gemini-2.5-flash'), 'google'],
    ['openai-compatible (groq)', (p) => p.compatible('groq')('llama-3.3-70b-versatile'), 'groq'],
  ];

describe('streamText through tollgateMiddleware', () => {
  it.each(MODELS)(
    'records %s once from the finish part when the stream is read to the end',
    async (_name, modelOf, provider) => {
      const budget = testBudget();
      const model = wrapLanguageModel({
        model: modelOf(providersOf(emulator)),
        middleware: tollgateMiddleware(budget),
      });
      const result = streamText({
        model,
        prompt: 'Say hello to the budget tests.',
        maxOutputTokens: 12,
        maxRetries: 0,
      });
      let text = '';
      for await (const delta of result.textStream) text += delta;
      const usage = await result.usage;
      expect(text.split(' ')).toHaveLength(12);
      const [record, ...others] = await recordsOf(budget);
      expect(others).toEqual([]);
      expect(record).toMatchObject({
        provider,
        estimated: false,
        inputTokens: usage.inputTokens,
        outputTokens: 12,
      });
      expect(await spent(budget)).toEqual({ used: record!.cost, reserved: 0 });
    },
  );

  it.each(MODELS)('records %s from the text received when the caller aborts it', async (_name, modelOf) => {
    const budget = testBudget();
    const model = wrapLanguageModel({
      model: modelOf(providersOf(emulator)),
      middleware: tollgateMiddleware(budget),
    });
    const controller = new AbortController();
    const result = streamText({
      model,
      prompt: 'Write a long story.',
      maxOutputTokens: 60,
      maxRetries: 0,
      abortSignal: controller.signal,
      onError: () => {},
    });
    let deltas = 0;
    for await (const delta of result.textStream) {
      if (delta.length > 0) deltas += 1;
      if (deltas === 3) controller.abort();
    }
    await until(async () => (await recordsOf(budget)).length === 1, 'the aborted stream is recorded');
    const [record] = await recordsOf(budget);
    expect(record!.estimated).toBe(true);
    expect(record!.outputTokens).toBeGreaterThanOrEqual(3);
    expect(record!.outputTokens).toBeLessThan(60);
    expect(record!.cost).toBeGreaterThan(0);
    expect(await spent(budget)).toEqual({ used: record!.cost, reserved: 0 });
  });

  it.each(MODELS)(
    'records %s from the text received once a stream the caller broke out of is garbage-collected',
    async (_name, modelOf) => {
      // The AI SDK does not cancel the model's stream when the caller leaves textStream: the
      // stream idles until it is dropped, and the middleware settles it then.
      setFlagsFromString('--expose-gc');
      const collectGarbage = runInNewContext('gc') as () => void;
      const budget = testBudget();
      const providers = providersOf(emulator, { 'x-emulator-chunk-delay-ms': '5' });
      await (async () => {
        const model = wrapLanguageModel({
          model: modelOf(providers),
          middleware: tollgateMiddleware(budget),
        });
        const result = streamText({
          model,
          prompt: 'Write a long story.',
          maxOutputTokens: 60,
          maxRetries: 0,
        });
        let deltas = 0;
        for await (const delta of result.textStream) {
          if (delta.length > 0) deltas += 1;
          if (deltas === 2) break;
        }
      })();
      await expect
        .poll(
          async () => {
            collectGarbage();
            return (await recordsOf(budget)).length;
          },
          { timeout: 10_000, interval: 50 },
        )
        .toBe(1);
      const [record] = await recordsOf(budget);
      expect(record!.estimated).toBe(true);
      expect(record!.outputTokens).toBeGreaterThanOrEqual(2);
      expect(record!.outputTokens).toBeLessThan(60);
      expect(await spent(budget)).toEqual({ used: record!.cost, reserved: 0 });
    },
  );

  it('records a stream the caller broke out of when the budget closes, not later at garbage collection', async () => {
    const budget = testBudget();
    const model = wrapLanguageModel({
      model: providersOf(emulator).openai.chat('gpt-4o-mini'),
      middleware: tollgateMiddleware(budget),
    });
    const result = streamText({ model, prompt: 'Write a long story.', maxOutputTokens: 60, maxRetries: 0 });
    let deltas = 0;
    for await (const delta of result.textStream) {
      if (delta.length > 0) deltas += 1;
      if (deltas === 2) break;
    }
    // Still referenced: nothing collects the model's stream before close().
    expect(result).toBeDefined();
    await budget.close();
    const [record] = await recordsOf(budget);
    expect(record).toMatchObject({ estimated: true });
    expect(record!.outputTokens).toBeGreaterThanOrEqual(2);
    expect(await spent(budget)).toEqual({ used: record!.cost, reserved: 0 });
  });

  it('records a stream the connection drops from the text received', async () => {
    const budget = testBudget();
    const { anthropic } = providersOf(emulator, { 'x-emulator-drop-after-chunks': '5' });
    const model = wrapLanguageModel({
      model: anthropic('claude-sonnet-4-5'),
      middleware: tollgateMiddleware(budget),
    });
    const result = streamText({
      model,
      prompt: 'Write a long story.',
      maxOutputTokens: 60,
      maxRetries: 0,
      onError: () => {},
    });
    const failure = await (async () => {
      for await (const _delta of result.textStream) {
        // read what arrives
      }
    })().catch((error: unknown) => error);
    expect((failure as Error).name).toBe('AI_APICallError');
    await until(async () => (await recordsOf(budget)).length === 1, 'the dropped stream is recorded');
    const [record] = await recordsOf(budget);
    expect(record!.estimated).toBe(true);
    // Five words of lorem ipsum, counted locally: at least a token each.
    expect(record!.outputTokens).toBeGreaterThanOrEqual(5);
    expect(record!.outputTokens).toBeLessThan(60);
    expect(await spent(budget)).toEqual({ used: record!.cost, reserved: 0 });
  });

  it('releases the hold of a stream the provider refuses, and the error reaches the caller', async () => {
    const budget = testBudget();
    emulator.faults.error = { status: 500 };
    const { google } = providersOf(emulator);
    const model = wrapLanguageModel({
      model: google('gemini-2.5-flash'),
      middleware: tollgateMiddleware(budget),
    });
    const errors: unknown[] = [];
    const result = streamText({
      model,
      prompt: 'Hello',
      maxOutputTokens: 20,
      maxRetries: 0,
      onError: ({ error }) => errors.push(error),
    });
    for await (const _delta of result.textStream) {
      // nothing arrives
    }
    expect(errors).toHaveLength(1);
    expect(emulator.requests).toHaveLength(1);
    expect(await recordsOf(budget)).toEqual([]);
    expect(await spent(budget)).toEqual({ used: 0, reserved: 0 });
  });

  it('refuses a stream that does not fit before anything is sent', async () => {
    const budget = testBudget(0.000_001);
    const { openai } = providersOf(emulator);
    const model = wrapLanguageModel({ model: openai('gpt-4o'), middleware: tollgateMiddleware(budget) });
    const errors: unknown[] = [];
    const result = streamText({
      model,
      prompt: 'Hello',
      maxOutputTokens: 4_000,
      maxRetries: 0,
      onError: ({ error }) => errors.push(error),
    });
    for await (const _delta of result.textStream) {
      // nothing arrives
    }
    expect((errors[0] as Error).name).toBe('BudgetExceededError');
    expect(emulator.requests).toEqual([]);
    expect(await spent(budget)).toEqual({ used: 0, reserved: 0 });
  });

  it('clamps the output limit of a stream', async () => {
    const budget = testBudget(0.001);
    const { anthropic } = providersOf(emulator);
    const model = wrapLanguageModel({
      model: anthropic('claude-sonnet-4-5'),
      middleware: tollgateMiddleware(budget, { onInsufficientBudget: 'clamp' }),
    });
    const result = streamText({ model, prompt: 'Write an essay.', maxOutputTokens: 4_000, maxRetries: 0 });
    await result.consumeStream();
    const [sent] = sentOutputLimits(emulator);
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(100);
    const [record] = await recordsOf(budget);
    expect(record).toMatchObject({ estimated: false, outputTokens: Math.min(sent as number, 64) });
    expect((await spent(budget)).used).toBeLessThanOrEqual(1_000_000);
  });

  it('records a stream whose finish part reports usage it cannot trust from the text received, and warns', async () => {
    const warnings: string[] = [];
    const budget = testBudget(100, { onWarning: (warning) => warnings.push(warning.code) });
    const { openai } = providersOf(emulator, {
      'x-emulator-usage-json':
        '{"prompt_tokens":5,"completion_tokens":99999999999,"total_tokens":99999999999}',
      'x-emulator-output-tokens': '8',
    });
    const model = wrapLanguageModel({
      model: openai.chat('gpt-4o-mini'),
      middleware: tollgateMiddleware(budget),
    });
    const result = streamText({ model, prompt: 'Hello', maxOutputTokens: 20, maxRetries: 0 });
    await result.consumeStream();
    const [record] = await recordsOf(budget);
    expect(record!.estimated).toBe(true);
    expect(record!.outputTokens).toBeGreaterThanOrEqual(8);
    expect(record!.outputTokens).toBeLessThanOrEqual(20);
    expect(warnings).toContain('TOLLGATE_UNTRUSTED_USAGE');
  });
});
