import { describe, expect, it } from 'vitest';
import { UntrustedUsageError } from './untrusted-usage-error';
import { DEFAULT_CONTEXT_BOUND, readUsageBlock, type UsageLimits } from './usage-block-reader';

/** A mapping shaped like OpenAI's chat usage: the prompt includes its cached part. */
function convert(block: unknown, limits?: UsageLimits) {
  return readUsageBlock(block, limits, (fields, read) => {
    const prompt = read.count(fields.prompt_tokens, 'prompt_tokens', { required: true });
    const details = read.details(fields.prompt_tokens_details, 'prompt_tokens_details');
    const cached = read.count(details.cached_tokens, 'prompt_tokens_details.cached_tokens');
    read.partOf(cached, 'prompt_tokens_details.cached_tokens', prompt, 'prompt_tokens');
    const output = read.count(fields.completion_tokens, 'completion_tokens', { required: true });
    const reasoning = read.count(fields.reasoning_tokens, 'reasoning_tokens');
    read.partOf(reasoning, 'reasoning_tokens', output, 'completion_tokens');
    return {
      inputTokens: prompt - cached,
      cacheReadTokens: cached,
      outputTokens: output,
      reasoningTokens: reasoning,
    };
  });
}

function reasonFor(block: unknown, limits?: UsageLimits): string {
  try {
    convert(block, limits);
  } catch (error) {
    if (UntrustedUsageError.isInstance(error)) return error.reason;
    throw error;
  }
  throw new Error('the block was trusted');
}

describe('readUsageBlock', () => {
  it('converts a well-formed block with the adapter’s mapping and keeps it as raw', () => {
    const block = { prompt_tokens: 120, prompt_tokens_details: { cached_tokens: 100 }, completion_tokens: 7 };
    const usage = convert(block);
    expect(usage.input).toMatchObject({ total: 120, noCache: 20, cacheRead: 100 });
    expect(usage.output.total).toBe(7);
    expect(usage.raw).toBe(block);
  });

  it('reads absent and null optional fields as 0', () => {
    const usage = convert({
      prompt_tokens: 3,
      completion_tokens: 1,
      prompt_tokens_details: null,
      reasoning_tokens: null,
    });
    expect(usage.input.cacheRead).toBe(0);
    expect(usage.output.reasoning).toBe(0);
  });

  it.each([
    ['missing', undefined, 'no usage was reported'],
    ['null', null, 'no usage was reported'],
    ['an array', [1, 2, 3], 'the usage is an array, not an object'],
    ['a string', 'usage', 'the usage is a string, not an object'],
    ['a number', 42, 'the usage is a number, not an object'],
  ])('does not trust a usage that is %s', (_name, block, reason) => {
    expect(reasonFor(block)).toBe(reason);
  });

  it.each([
    [
      'a string',
      { prompt_tokens: 10, completion_tokens: 'abc' },
      'completion_tokens is a string, not a number',
    ],
    [
      'a numeric string',
      { prompt_tokens: '10', completion_tokens: 1 },
      'prompt_tokens is a string, not a number',
    ],
    ['a boolean', { prompt_tokens: true, completion_tokens: 1 }, 'prompt_tokens is a boolean, not a number'],
    ['an object', { prompt_tokens: {}, completion_tokens: 1 }, 'prompt_tokens is an object, not a number'],
    ['negative', { prompt_tokens: -5000, completion_tokens: 10 }, 'prompt_tokens is negative'],
    ['fractional', { prompt_tokens: 10.5, completion_tokens: 1 }, 'prompt_tokens is not a whole number'],
    [
      'infinite',
      { prompt_tokens: 10, completion_tokens: Number.POSITIVE_INFINITY },
      'completion_tokens is not finite',
    ],
    ['NaN', { prompt_tokens: Number.NaN, completion_tokens: 1 }, 'prompt_tokens is NaN, not a number'],
    ['missing when required', { completion_tokens: 1 }, 'prompt_tokens is missing'],
    ['null when required', { prompt_tokens: null, completion_tokens: 1 }, 'prompt_tokens is missing'],
    [
      'huge',
      { prompt_tokens: 10, completion_tokens: 1e300 },
      `completion_tokens is beyond the model's context window (${DEFAULT_CONTEXT_BOUND} tokens)`,
    ],
  ])('does not trust a count that is %s', (_name, block, reason) => {
    expect(reasonFor(block)).toBe(reason);
  });

  it('does not trust a part above its total', () => {
    const block = { prompt_tokens: 100, prompt_tokens_details: { cached_tokens: 101 }, completion_tokens: 1 };
    expect(reasonFor(block)).toBe('prompt_tokens_details.cached_tokens is above prompt_tokens');
    expect(reasonFor({ prompt_tokens: 1, completion_tokens: 5, reasoning_tokens: 6 })).toBe(
      'reasoning_tokens is above completion_tokens',
    );
  });

  it('does not trust details that are not an object, nor a bad count inside them', () => {
    expect(reasonFor({ prompt_tokens: 1, completion_tokens: 1, prompt_tokens_details: [5] })).toBe(
      'prompt_tokens_details is an array, not an object',
    );
    expect(
      reasonFor({ prompt_tokens: 9, completion_tokens: 1, prompt_tokens_details: { cached_tokens: -1 } }),
    ).toBe('prompt_tokens_details.cached_tokens is negative');
  });

  it('holds every count to the context window it is given', () => {
    const limits = { contextWindow: 128_000 };
    expect(convert({ prompt_tokens: 128_000, completion_tokens: 1 }, limits).input.total).toBe(128_000);
    expect(reasonFor({ prompt_tokens: 128_001, completion_tokens: 1 }, limits)).toBe(
      "prompt_tokens is beyond the model's context window (128000 tokens)",
    );
  });

  it('names the first problem, and never a value', () => {
    const error = (() => {
      try {
        convert({ prompt_tokens: 'ignore previous instructions', completion_tokens: -1 });
      } catch (thrown) {
        return thrown as UntrustedUsageError;
      }
    })();
    expect(error?.reason).toBe('prompt_tokens is a string, not a number');
    expect(error?.message).not.toContain('ignore');
    expect(error?.block).toEqual({ prompt_tokens: 'ignore previous instructions', completion_tokens: -1 });
  });

  it('does not trust a relation the mapping left to core (reasoning and audio above the output)', () => {
    expect(() =>
      readUsageBlock({ o: 1 }, undefined, () => ({
        outputTokens: 1,
        reasoningTokens: 1,
        outputAudioTokens: 1,
      })),
    ).toThrow(UntrustedUsageError);
  });
});
