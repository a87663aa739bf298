import { UntrustedUsageError } from '@tollgate/core/adapter';
import { describe, expect, it } from 'vitest';
import { convertAiSdkEmbeddingUsage, convertAiSdkUsage } from './convert-ai-sdk-usage';

describe('convertAiSdkUsage', () => {
  it('bills the uncached input as input, the cache apart, and the reasoning inside the output', () => {
    const usage = convertAiSdkUsage({
      inputTokens: { total: 1_200, noCache: 100, cacheRead: 1_000, cacheWrite: 100 },
      outputTokens: { total: 80, text: 48, reasoning: 32 },
    });
    expect(usage.input).toMatchObject({ total: 1_200, noCache: 100, cacheRead: 1_000, cacheWrite: 100 });
    expect(usage.output).toMatchObject({ total: 80, reasoning: 32 });
  });

  it('takes the total less the cache as uncached when a provider leaves noCache out', () => {
    const usage = convertAiSdkUsage({
      inputTokens: { total: 50, cacheRead: 20 },
      outputTokens: { total: 5 },
    });
    expect(usage.input).toMatchObject({ total: 50, noCache: 30, cacheRead: 20 });
  });

  it.each([
    ['no usage', undefined],
    ['no input total', { inputTokens: {}, outputTokens: { total: 3 } }],
    ['no output total', { inputTokens: { total: 3 }, outputTokens: {} }],
    ['a negative count', { inputTokens: { total: -5 }, outputTokens: { total: 3 } }],
    ['a fractional count', { inputTokens: { total: 5.5 }, outputTokens: { total: 3 } }],
    ['a cache above the total', { inputTokens: { total: 5, cacheRead: 9 }, outputTokens: { total: 3 } }],
    ['reasoning above the output', { inputTokens: { total: 5 }, outputTokens: { total: 3, reasoning: 9 } }],
    ['a count as text', { inputTokens: { total: '5' }, outputTokens: { total: 3 } }],
    ['inputTokens not an object', { inputTokens: 5, outputTokens: { total: 3 } }],
  ])('refuses %s', (_case, block) => {
    expect(() => convertAiSdkUsage(block)).toThrow(UntrustedUsageError);
  });

  it('refuses a count beyond the context window', () => {
    const block = { inputTokens: { total: 200_000 }, outputTokens: { total: 3 } };
    expect(() => convertAiSdkUsage(block, { contextWindow: 128_000 })).toThrow(/context window/);
  });
});

describe('convertAiSdkEmbeddingUsage', () => {
  it('bills the tokens as input', () => {
    expect(convertAiSdkEmbeddingUsage({ tokens: 12 }).input.total).toBe(12);
  });

  it.each([[undefined], [{}], [{ tokens: -1 }], [{ tokens: 'many' }]])('refuses %j', (block) => {
    expect(() => convertAiSdkEmbeddingUsage(block)).toThrow(UntrustedUsageError);
  });
});
