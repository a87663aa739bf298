import { isEmptyUsage } from '@tollgate/core';
import { UntrustedUsageError } from '@tollgate/core/adapter';
import { describe, expect, it } from 'vitest';
import { convertMistralUsage } from './convert-mistral-usage';

describe('convertMistralUsage', () => {
  it('reads the SDK camelCase fields', () => {
    const usage = convertMistralUsage({ promptTokens: 120, completionTokens: 30, totalTokens: 150 });
    expect(usage?.input).toEqual({
      total: 120,
      noCache: 120,
      cacheRead: 0,
      cacheWrite: 0,
      cacheWrite1h: 0,
      audio: 0,
    });
    expect(usage?.output).toEqual({ total: 30, reasoning: 0, audio: 0 });
  });

  it('reads the raw snake_case fields', () => {
    const usage = convertMistralUsage({ prompt_tokens: 80, completion_tokens: 8, prompt_audio_seconds: 12 });
    expect(usage?.input.total).toBe(80);
    expect(usage?.output.total).toBe(8);
    expect(usage?.audioSeconds).toBe(12);
  });

  it('splits cached tokens passed through in snake_case out of the prompt tokens', () => {
    const usage = convertMistralUsage({
      promptTokens: 1000,
      completionTokens: 10,
      prompt_tokens_details: { cached_tokens: 600 },
    });
    expect(usage?.input).toMatchObject({ total: 1000, noCache: 400, cacheRead: 600 });
  });

  it('reads num_cached_tokens and the camelCase details of the speech usage', () => {
    expect(convertMistralUsage({ promptTokens: 50, num_cached_tokens: 20 })?.input).toMatchObject({
      noCache: 30,
      cacheRead: 20,
    });
    expect(convertMistralUsage({ promptTokens: 50, numCachedTokens: 10 })?.input).toMatchObject({
      noCache: 40,
      cacheRead: 10,
    });
    expect(
      convertMistralUsage({ promptTokens: 50, promptTokensDetails: { cachedTokens: 5, audioTokens: 25 } })
        ?.input,
    ).toMatchObject({ noCache: 45, cacheRead: 5, audio: 25 });
  });

  it('keeps reasoning tokens as part of the completion tokens', () => {
    const usage = convertMistralUsage({
      promptTokens: 10,
      completionTokens: 100,
      completion_tokens_details: { reasoning_tokens: 60 },
    });
    expect(usage?.output).toEqual({ total: 100, reasoning: 60, audio: 0 });
  });

  it('keeps the provider object as raw', () => {
    const raw = { promptTokens: 1, completionTokens: 2 };
    expect(convertMistralUsage(raw)?.raw).toBe(raw);
  });

  it('converts an all-zero usage (the SDK fills missing counts with 0), which the kit does not trust for a call that was sent', () => {
    expect(isEmptyUsage(convertMistralUsage({ promptTokens: 0, completionTokens: 0, totalTokens: 0 }))).toBe(
      true,
    );
  });

  it.each([
    ['absent', undefined],
    ['null', null],
    ['an array', [12, 3]],
    ['cached tokens above the prompt', { promptTokens: 10, prompt_tokens_details: { cached_tokens: 50 } }],
    [
      'reasoning above the completion',
      { promptTokens: 10, completionTokens: 5, completion_tokens_details: { reasoning_tokens: 6 } },
    ],
    ['a count that is not a number', { promptTokens: '12', completionTokens: 1 }],
    ['a NaN count', { promptTokens: Number.NaN, completionTokens: 1 }],
    ['a negative count', { promptTokens: 40, completionTokens: -3 }],
    ['a fractional count', { prompt_tokens: 40.5, completion_tokens: 1 }],
    [
      'a malformed count in the details',
      { promptTokens: 40, completionTokens: 1, prompt_tokens_details: { cached_tokens: -1 } },
    ],
    ['details that are not an object', { promptTokens: 40, completionTokens: 1, prompt_tokens_details: 7 }],
  ])('does not trust a usage that is %s', (_name, block) => {
    expect(() => convertMistralUsage(block)).toThrow(UntrustedUsageError);
  });

  it('takes the camelCase count over the snake_case one, and refuses it when it is malformed', () => {
    expect(
      convertMistralUsage({ promptTokens: 40, prompt_tokens: 99, completionTokens: 1 }).input.total,
    ).toBe(40);
    expect(() => convertMistralUsage({ promptTokens: -1, prompt_tokens: 40, completionTokens: 1 })).toThrow(
      'prompt_tokens is negative',
    );
  });
});
