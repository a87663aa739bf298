import { describe, expect, it } from 'vitest';
import { ValidationError } from '../index';
import { DEFAULT_COUNT_TIMEOUT_MS, resolvePromptCounting } from './prompt-counting';

describe('resolvePromptCounting', () => {
  it("defaults to 'auto' with a two-second count timeout", () => {
    expect(resolvePromptCounting({})).toEqual({
      estimateWith: 'auto',
      countTimeoutMs: DEFAULT_COUNT_TIMEOUT_MS,
    });
    expect(DEFAULT_COUNT_TIMEOUT_MS).toBe(2_000);
    expect(resolvePromptCounting({ estimateWith: 'countTokens', countTimeoutMs: 300 })).toEqual({
      estimateWith: 'countTokens',
      countTimeoutMs: 300,
    });
  });

  it("reads 'local' as 'bound'", () => {
    expect(resolvePromptCounting({ estimateWith: 'local' }).estimateWith).toBe('bound');
  });

  it('refuses another word, with the one it most likely means, and a timeout that is not a positive whole number', () => {
    expect(() => resolvePromptCounting({ estimateWith: 'bund' as never })).toThrow(
      "Invalid options.estimateWith: must be one of auto, bound, countTokens (did you mean 'bound'?)",
    );
    expect(() => resolvePromptCounting({ estimateWith: 1 as never })).toThrow(ValidationError);
    expect(() => resolvePromptCounting({ countTimeoutMs: -5 })).toThrow(/options\.countTimeoutMs/);
  });
});
