import { UntrustedUsageError } from '@tollgate/core/adapter';
import { describe, expect, test } from 'vitest';
import {
  convertOpenAIChatUsage,
  convertOpenAIEmbeddingUsage,
  convertOpenAIImageUsage,
  convertOpenAIResponsesUsage,
  convertOpenAISpeechUsage,
  convertOpenAITranscriptionUsage,
} from './convert-openai-usage';

describe('convertOpenAIChatUsage', () => {
  test('prompt_tokens includes the cached tokens: uncached = prompt - cached', () => {
    const usage = convertOpenAIChatUsage({
      prompt_tokens: 1_000,
      completion_tokens: 300,
      prompt_tokens_details: { cached_tokens: 400, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 120, audio_tokens: 0 },
    });
    expect(usage.input).toMatchObject({ total: 1_000, noCache: 600, cacheRead: 400, cacheWrite: 0 });
    expect(usage.output).toEqual({ total: 300, reasoning: 120, audio: 0 });
  });

  test('cache writes are part of prompt_tokens too', () => {
    const usage = convertOpenAIChatUsage({
      prompt_tokens: 1_000,
      completion_tokens: 1,
      prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 300 },
    });
    expect(usage.input).toMatchObject({ total: 1_000, noCache: 600, cacheRead: 100, cacheWrite: 300 });
  });

  test('audio tokens are parts of the input and output totals', () => {
    const usage = convertOpenAIChatUsage({
      prompt_tokens: 500,
      completion_tokens: 200,
      prompt_tokens_details: { audio_tokens: 300 },
      completion_tokens_details: { audio_tokens: 150 },
    });
    expect(usage.input).toMatchObject({ total: 500, noCache: 500, audio: 300 });
    expect(usage.output).toEqual({ total: 200, reasoning: 0, audio: 150 });
  });

  test('missing details (Qwen, Ollama) read as 0', () => {
    expect(convertOpenAIChatUsage({ prompt_tokens: 12, completion_tokens: 7 }).input.total).toBe(12);
  });

  test.each([
    [
      'cached above the prompt',
      { prompt_tokens: 10, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 50 } },
    ],
    [
      'reasoning above the output',
      { prompt_tokens: 10, completion_tokens: 5, completion_tokens_details: { reasoning_tokens: 9 } },
    ],
    ['a count that is not a number', { prompt_tokens: 10, completion_tokens: 'abc' }],
    ['a null total', { prompt_tokens: null, completion_tokens: 3 }],
    ['NaN', { prompt_tokens: 10, completion_tokens: Number.NaN }],
    ['a negative prompt', { prompt_tokens: -5000, completion_tokens: 10 }],
    ['a fractional count', { prompt_tokens: 10.5, completion_tokens: 1 }],
    ['a count beyond any context window', { prompt_tokens: 10, completion_tokens: 1e300 }],
    ['a malformed total_tokens', { prompt_tokens: 10, completion_tokens: 1, total_tokens: -1 }],
    ['an array', [1, 2, 3]],
    [
      'details that are not an object',
      { prompt_tokens: 10, completion_tokens: 1, prompt_tokens_details: 'x' },
    ],
  ])('does not trust %s: UntrustedUsageError', (_name, block) => {
    expect(() => convertOpenAIChatUsage(block)).toThrow(UntrustedUsageError);
  });

  test('holds every count to the context window it is given', () => {
    expect(() =>
      convertOpenAIChatUsage({ prompt_tokens: 128_001, completion_tokens: 1 }, { contextWindow: 128_000 }),
    ).toThrow("prompt_tokens is beyond the model's context window (128000 tokens)");
  });
});

describe('convertOpenAIResponsesUsage', () => {
  test('input_tokens includes cached tokens, output_tokens includes reasoning', () => {
    const usage = convertOpenAIResponsesUsage(
      {
        input_tokens: 2_000,
        input_tokens_details: { cached_tokens: 1_500, cache_write_tokens: 0 },
        output_tokens: 800,
        output_tokens_details: { reasoning_tokens: 500 },
      },
      { webSearches: 2 },
    );
    expect(usage.input).toMatchObject({ total: 2_000, noCache: 500, cacheRead: 1_500 });
    expect(usage.output).toMatchObject({ total: 800, reasoning: 500 });
    expect(usage.webSearches).toBe(2);
  });
});

describe('other endpoints', () => {
  test('embeddings: prompt tokens only', () => {
    expect(convertOpenAIEmbeddingUsage({ prompt_tokens: 42 }).input.total).toBe(42);
  });

  test('transcriptions: duration, tokens, verbose_json duration, nothing', () => {
    expect(convertOpenAITranscriptionUsage({ type: 'duration', seconds: 61.5 })?.audioSeconds).toBe(61.5);
    const tokens = convertOpenAITranscriptionUsage({
      type: 'tokens',
      input_tokens: 130,
      output_tokens: 40,
      input_token_details: { audio_tokens: 120, text_tokens: 10 },
    });
    expect(tokens?.input).toMatchObject({ total: 130, noCache: 130, audio: 120 });
    expect(tokens?.output.total).toBe(40);
    expect(convertOpenAITranscriptionUsage(undefined, 12)?.audioSeconds).toBe(12);
    expect(convertOpenAITranscriptionUsage(undefined)).toBeUndefined();
  });

  test('images: the image count, and token counts only where the price has a rate', () => {
    const usage = convertOpenAIImageUsage(
      2,
      { input_tokens: 20, output_tokens: 2_112 },
      { inputTokens: true, outputTokens: false },
    );
    expect(usage.images).toBe(2);
    expect(usage.input.total).toBe(20);
    expect(usage.output.total).toBe(0);
  });

  test('speech: the output tokens are audio', () => {
    const usage = convertOpenAISpeechUsage({ input_tokens: 8, output_tokens: 90 });
    expect(usage.output).toEqual({ total: 90, reasoning: 0, audio: 90 });
  });

  test('every endpoint’s usage is under the same rule', () => {
    expect(() => convertOpenAIResponsesUsage({ input_tokens: 10, output_tokens: -1 })).toThrow(
      UntrustedUsageError,
    );
    expect(() => convertOpenAIEmbeddingUsage({ prompt_tokens: '42' })).toThrow(UntrustedUsageError);
    expect(() =>
      convertOpenAITranscriptionUsage({ type: 'duration', seconds: Number.POSITIVE_INFINITY }),
    ).toThrow(UntrustedUsageError);
    expect(() =>
      convertOpenAIImageUsage(
        1,
        { input_tokens: 1.5, output_tokens: 2 },
        { inputTokens: true, outputTokens: false },
      ),
    ).toThrow(UntrustedUsageError);
    expect(() => convertOpenAISpeechUsage({ input_tokens: 8 })).toThrow(UntrustedUsageError);
  });
});
