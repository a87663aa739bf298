import { UntrustedUsageError } from '@tollgate/core/adapter';
import { describe, expect, it } from 'vitest';
import { convertAnthropicUsage } from './convert-anthropic-usage';

describe('convertAnthropicUsage', () => {
  it('takes input_tokens as the uncached input: cache reads and writes come on top, never out of it', () => {
    const usage = convertAnthropicUsage({
      input_tokens: 1_200,
      cache_read_input_tokens: 5_000,
      cache_creation_input_tokens: 3_000,
      output_tokens: 300,
    });
    expect(usage.input).toEqual({
      total: 9_200,
      noCache: 1_200,
      cacheRead: 5_000,
      cacheWrite: 3_000,
      cacheWrite1h: 0,
      audio: 0,
    });
    expect(usage.output).toEqual({ total: 300, reasoning: 0, audio: 0 });
  });

  it('splits cache writes into 5-minute and 1-hour writes from cache_creation', () => {
    const usage = convertAnthropicUsage({
      input_tokens: 10,
      cache_creation_input_tokens: 3_000,
      cache_creation: { ephemeral_5m_input_tokens: 2_000, ephemeral_1h_input_tokens: 1_000 },
      output_tokens: 1,
    });
    expect(usage.input.cacheWrite).toBe(3_000);
    expect(usage.input.cacheWrite1h).toBe(1_000);
  });

  it('treats writes without a breakdown as 5-minute writes', () => {
    const usage = convertAnthropicUsage({
      input_tokens: 10,
      cache_creation_input_tokens: 500,
      cache_creation: null,
      output_tokens: 1,
    });
    expect(usage.input.cacheWrite).toBe(500);
    expect(usage.input.cacheWrite1h).toBe(0);
  });

  it('prices writes reported only by their breakdown at its sum', () => {
    const usage = convertAnthropicUsage({
      input_tokens: 10,
      cache_creation_input_tokens: null,
      cache_creation: { ephemeral_5m_input_tokens: 40, ephemeral_1h_input_tokens: 60 },
      output_tokens: 1,
    });
    expect(usage.input.cacheWrite).toBe(100);
    expect(usage.input.cacheWrite1h).toBe(60);
  });

  it('keeps thinking inside output_tokens and reports it as reasoning', () => {
    const usage = convertAnthropicUsage({
      input_tokens: 10,
      output_tokens: 500,
      output_tokens_details: { thinking_tokens: 200 },
    });
    expect(usage.output).toEqual({ total: 500, reasoning: 200, audio: 0 });
  });

  it.each([
    [
      'more thinking than output',
      { input_tokens: 10, output_tokens: 50, output_tokens_details: { thinking_tokens: 80 } },
    ],
    [
      'a breakdown of cache writes above their total',
      {
        input_tokens: 10,
        output_tokens: 1,
        cache_creation_input_tokens: 50,
        cache_creation: { ephemeral_5m_input_tokens: 40, ephemeral_1h_input_tokens: 60 },
      },
    ],
    ['a count that is not a number', { input_tokens: '10', output_tokens: 1 }],
    ['a fractional count', { input_tokens: 10, output_tokens: 1.5 }],
    ['a missing output', { input_tokens: 10 }],
    [
      'a malformed compaction iteration',
      { input_tokens: 10, output_tokens: 1, iterations: [{ type: 'compaction', input_tokens: -3 }] },
    ],
    ['iterations that are not a list', { input_tokens: 10, output_tokens: 1, iterations: 'compaction' }],
    ['a usage that is not an object', [10, 1]],
  ])('does not trust %s', (_name, block) => {
    expect(() => convertAnthropicUsage(block)).toThrow(UntrustedUsageError);
  });

  it('holds each count, not their sum over compaction iterations, to the context window', () => {
    const limits = { contextWindow: 200_000 };
    const compacted = {
      input_tokens: 150_000,
      output_tokens: 10,
      iterations: [{ type: 'compaction', input_tokens: 150_000, output_tokens: 5 }],
    };
    expect(convertAnthropicUsage(compacted, limits).input.total).toBe(300_000);
    expect(() => convertAnthropicUsage({ input_tokens: 200_001, output_tokens: 1 }, limits)).toThrow(
      UntrustedUsageError,
    );
  });

  it('counts server-side web searches; web fetches cost only their tokens', () => {
    const usage = convertAnthropicUsage({
      input_tokens: 10,
      output_tokens: 5,
      server_tool_use: { web_search_requests: 3, web_fetch_requests: 2 },
    });
    expect(usage.webSearches).toBe(3);
  });

  it('adds compaction iterations, which the top-level fields leave out, and only those', () => {
    const usage = convertAnthropicUsage({
      input_tokens: 100,
      output_tokens: 50,
      cache_read_input_tokens: 1_000,
      iterations: [
        {
          type: 'compaction',
          input_tokens: 180_000,
          output_tokens: 3_000,
          cache_read_input_tokens: 0,
          cache_creation_input_tokens: 0,
        },
        {
          type: 'message',
          input_tokens: 100,
          output_tokens: 50,
          cache_read_input_tokens: 1_000,
          cache_creation_input_tokens: 0,
        },
      ],
    });
    expect(usage.input.noCache).toBe(180_100);
    expect(usage.input.cacheRead).toBe(1_000);
    expect(usage.output.total).toBe(3_050);
  });

  it('reads nulls and missing fields as zero (a stream’s message_start, a minimal proxy)', () => {
    const usage = convertAnthropicUsage({
      input_tokens: 25,
      output_tokens: 1,
      cache_creation_input_tokens: null,
      cache_read_input_tokens: null,
      server_tool_use: null,
      output_tokens_details: null,
      iterations: null,
    });
    expect(usage.input.total).toBe(25);
    expect(usage.webSearches).toBe(0);
  });

  it('keeps the provider’s object as raw', () => {
    const raw = { input_tokens: 1, output_tokens: 2 };
    expect(convertAnthropicUsage(raw).raw).toBe(raw);
  });

  it('refuses a malformed count instead of recording $0', () => {
    expect(() => convertAnthropicUsage({ input_tokens: -1, output_tokens: 2 })).toThrow(
      'input_tokens is negative',
    );
    expect(() => convertAnthropicUsage({ input_tokens: Number.NaN, output_tokens: 2 })).toThrow(
      'input_tokens is NaN, not a number',
    );
  });
});
