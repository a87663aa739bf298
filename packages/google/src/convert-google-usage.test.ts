import { UntrustedUsageError } from '@tollgate/core/adapter';
import { describe, expect, it } from 'vitest';
import fixtures from './__fixtures__/usage-metadata.json';
import { convertGoogleUsage } from './convert-google-usage';

describe('convertGoogleUsage', () => {
  it('bills thoughts as output beside the candidates, and keeps them as reasoning', () => {
    const usage = convertGoogleUsage(fixtures.thinking);
    expect(usage.input).toMatchObject({ total: 1204, noCache: 1204, cacheRead: 0 });
    expect(usage.output).toMatchObject({ total: 312 + 988, reasoning: 988 });
    expect(usage.raw).toBe(fixtures.thinking);
  });

  it('takes the cached tokens out of the prompt and adds the tool-use prompt to the input', () => {
    const usage = convertGoogleUsage(fixtures.cachedAndTools);
    expect(usage.input).toMatchObject({
      total: 40_000 + 420,
      noCache: 40_000 - 32_768 + 420,
      cacheRead: 32_768,
    });
    expect(usage.output.total).toBe(150);
  });

  it('reads audio in the prompt as input audio', () => {
    expect(convertGoogleUsage(fixtures.audio).input).toMatchObject({ total: 1000, audio: 960 });
  });

  it('reads a stream chunk that reports the prompt only', () => {
    expect(convertGoogleUsage(fixtures.streamStart).output.total).toBe(0);
  });

  it.each([
    ['no block', undefined, 'no usage was reported'],
    ['a string', 'abc', 'not an object'],
    ['an array', [1, 2, 3], 'not an object'],
    ['no prompt count', { candidatesTokenCount: 3 }, 'promptTokenCount is missing'],
    ['a negative count', { promptTokenCount: -5 }, 'promptTokenCount is negative'],
    ['a fractional count', { promptTokenCount: 10, candidatesTokenCount: 2.5 }, 'not a whole number'],
    ['an infinite count', { promptTokenCount: Number.POSITIVE_INFINITY }, 'not finite'],
    ['a count as a string', { promptTokenCount: '10' }, 'not a number'],
    [
      'cached above the prompt',
      { promptTokenCount: 10, cachedContentTokenCount: 11 },
      'cachedContentTokenCount is above',
    ],
    [
      'parts above the total',
      { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 12 },
      'above totalTokenCount',
    ],
    ['details that are not a list', { promptTokenCount: 10, promptTokensDetails: 'TEXT' }, 'not an array'],
    [
      'a count beyond the context window',
      { promptTokenCount: 10, thoughtsTokenCount: 2e7 },
      'context window',
    ],
  ])('does not trust %s', (_name, block, problem) => {
    let failure: unknown;
    try {
      convertGoogleUsage(block);
    } catch (error) {
      failure = error;
    }
    expect(UntrustedUsageError.isInstance(failure)).toBe(true);
    expect((failure as Error).message).toContain(problem);
  });

  it('holds counts to the model’s context window when one is given', () => {
    expect(() => convertGoogleUsage({ promptTokenCount: 1_100_000 }, { contextWindow: 1_048_576 })).toThrow(
      /context window/,
    );
  });
});
