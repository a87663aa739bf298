import { describe, expect, it } from 'vitest';
import { createBudget, createUsage } from '../index';
import { DEFAULT_CONTEXT_BOUND, readUsageBlock } from './usage-block-reader';
import {
  contextWindowOf,
  implausibility,
  judgeUsage,
  LONG_CONTEXT_WINDOW,
  MAX_RAW_USAGE_LENGTH,
  rawUsageText,
} from './usage-trust';

const catalog = createBudget({ budgets: [{ id: 'test', limitUsd: 1, period: 'month' }] }).catalog;

describe('contextWindowOf', () => {
  it('is the catalog’s window for the model', () => {
    expect(contextWindowOf(catalog.resolve('openai', 'gpt-4o-mini'))).toBe(128_000);
  });

  it('is at least the long-context window for a model billed past a threshold', () => {
    const sonnet = catalog.resolve('anthropic', 'claude-sonnet-4-5');
    expect(sonnet?.price.tiers.length).toBeGreaterThan(0);
    expect(contextWindowOf(sonnet)).toBe(LONG_CONTEXT_WINDOW);
  });

  it('is the generous default for a model the catalog has no window for', () => {
    expect(contextWindowOf(undefined)).toBe(DEFAULT_CONTEXT_BOUND);
    expect(contextWindowOf(catalog.resolve('ollama', 'llama3'))).toBe(DEFAULT_CONTEXT_BOUND);
  });
});

describe('judgeUsage', () => {
  const convert = (block: unknown) =>
    readUsageBlock(block, { contextWindow: 1_000 }, (fields, read) => ({
      inputTokens: read.count(fields.input, 'input', { required: true }),
    }));

  it('is the converted usage when the block can be trusted', () => {
    expect(judgeUsage({ input: 7 }, convert, {}).usage?.input.total).toBe(7);
  });

  it('is the reason when it cannot', () => {
    expect(judgeUsage({ input: 7.5 }, convert, {})).toEqual({ problem: 'input is not a whole number' });
    expect(judgeUsage([], convert, {})).toEqual({ problem: 'the usage is an array, not an object' });
  });

  it('is a reason for a converter that fails in any other way, without its message', () => {
    const verdict = judgeUsage(
      {},
      () => {
        throw new TypeError('secret detail');
      },
      {},
    );
    expect(verdict).toEqual({ problem: 'the usage could not be read (TypeError)' });
  });
});

describe('implausibility', () => {
  it('refuses a usage that says nothing was used', () => {
    expect(implausibility(createUsage({}), { service: 'llm', promptTokens: 20 })).toBe(
      'the usage reports nothing used',
    );
    expect(implausibility(createUsage({}), { service: 'embedding', promptTokens: 0 })).toBe(
      'the usage reports nothing used',
    );
  });

  it('refuses a text generation that read no input of a prompt the gate counted', () => {
    expect(implausibility(createUsage({ outputTokens: 5 }), { service: 'llm', promptTokens: 20 })).toBe(
      'the usage reports no input tokens',
    );
  });

  it('refuses a text generation that reports no output for text it returned', () => {
    const usage = createUsage({ inputTokens: 12, outputTokens: 0 });
    expect(implausibility(usage, { service: 'llm', promptTokens: 20, outputReceived: true })).toBe(
      'the usage reports no output tokens for the output received',
    );
    expect(implausibility(usage, { service: 'llm', promptTokens: 20, outputReceived: false })).toBe(
      undefined,
    );
  });

  it('accepts anything else', () => {
    expect(
      implausibility(createUsage({ inputTokens: 1, outputTokens: 0 }), { service: 'llm', promptTokens: 20 }),
    ).toBe(undefined);
    expect(implausibility(createUsage({ audioSeconds: 3 }), { service: 'stt', promptTokens: 0 })).toBe(
      undefined,
    );
  });
});

describe('rawUsageText', () => {
  it('is the block as JSON, with numbers JSON cannot write as strings', () => {
    expect(rawUsageText({ prompt_tokens: Number.POSITIVE_INFINITY, completion_tokens: 'abc' })).toBe(
      '{"prompt_tokens":"Infinity","completion_tokens":"abc"}',
    );
    expect(rawUsageText([1, 2, 3])).toBe('[1,2,3]');
    expect(rawUsageText(null)).toBe('null');
    expect(rawUsageText(undefined)).toBeUndefined();
  });

  it('is cut at the bound, and says so', () => {
    const text = rawUsageText({ padding: 'x'.repeat(5_000) });
    expect(text).toHaveLength(MAX_RAW_USAGE_LENGTH);
    expect(text?.endsWith('…')).toBe(true);
  });
});
