// AI SDK 6 (LanguageModelV3, EmbeddingModelV3): what npm installs on Node 20, where AI SDK 7 declares Node ≥ 22.
import { createOpenAI } from '@ai-sdk/openai-v3';
import { type Emulator, startEmulator } from '@tollgate/emulator';
import { embed, generateText, streamText, wrapEmbeddingModel, wrapLanguageModel } from 'ai-v6';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API_KEY, recordsOf, sentOutputLimits, spent, testBudget } from './ai-sdk-test-support';
import { tollgateEmbeddingMiddleware, tollgateMiddleware } from './index';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

// The middleware is typed against the AI SDK the package is built with (7); AI SDK 6 runs it as it is.
const languageMiddleware = (middleware: ReturnType<typeof tollgateMiddleware>) => middleware as never;
const embeddingMiddleware = (middleware: ReturnType<typeof tollgateEmbeddingMiddleware>) =>
  middleware as never;

describe('tollgateMiddleware under AI SDK 6', () => {
  const openai = () => createOpenAI({ apiKey: API_KEY, baseURL: emulator.openaiBaseURL });

  it('records generateText and streamText from the usage', async () => {
    const budget = testBudget();
    const model = wrapLanguageModel({
      model: openai().chat('gpt-4o-mini'),
      middleware: languageMiddleware(tollgateMiddleware(budget)),
    });
    const generated = await generateText({ model, prompt: 'Hello', maxOutputTokens: 10, maxRetries: 0 });
    const streamed = streamText({ model, prompt: 'Hello', maxOutputTokens: 12, maxRetries: 0 });
    await streamed.consumeStream();
    const records = await recordsOf(budget);
    expect(records.map((record) => [record.provider, record.outputTokens, record.estimated])).toEqual([
      ['openai', generated.usage.outputTokens, false],
      ['openai', 12, false],
    ]);
    expect(await spent(budget)).toEqual({ used: records[0]!.cost + records[1]!.cost, reserved: 0 });
  });

  it('clamps the output limit and refuses before anything is sent', async () => {
    const clamped = wrapLanguageModel({
      model: openai().chat('gpt-4o'),
      middleware: languageMiddleware(
        tollgateMiddleware(testBudget(0.001), { onInsufficientBudget: 'clamp' }),
      ),
    });
    await generateText({ model: clamped, prompt: 'Write an essay.', maxOutputTokens: 4_000, maxRetries: 0 });
    expect(sentOutputLimits(emulator)[0]).toBeLessThan(100);
    emulator.reset();
    const refused = wrapLanguageModel({
      model: openai().chat('gpt-4o'),
      middleware: languageMiddleware(tollgateMiddleware(testBudget(0.000_001))),
    });
    await expect(
      generateText({ model: refused, prompt: 'Hello', maxOutputTokens: 4_000, maxRetries: 0 }),
    ).rejects.toThrow(/budget/i);
    expect(emulator.requests).toEqual([]);
  });

  it('records an embedding', async () => {
    const budget = testBudget();
    const model = wrapEmbeddingModel({
      model: openai().embedding('text-embedding-3-small'),
      middleware: embeddingMiddleware(tollgateEmbeddingMiddleware(budget)),
    });
    const result = await embed({ model, value: 'hello there', maxRetries: 0 });
    const [record] = await recordsOf(budget);
    expect(record).toMatchObject({
      service: 'embedding',
      inputTokens: result.usage.tokens,
      estimated: false,
    });
  });
});
