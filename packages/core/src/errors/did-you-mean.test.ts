import { describe, expect, it } from 'vitest';
import { didYouMean } from './did-you-mean';
import { rejectUnknownKeys } from './reject-unknown-keys';
import { ValidationError } from './validation-error';

describe('didYouMean', () => {
  it('suggests the close candidate for a typo', () => {
    expect(didYouMean('users', ['global', 'user', 'project', 'tag'])).toBe('user');
    expect(didYouMean('requestTyp', ['requestType', 'onInsufficientBudget'])).toBe('requestType');
    expect(didYouMean('Project', ['global', 'user', 'project', 'tag'])).toBe('project');
  });

  it('suggests nothing when no candidate is close', () => {
    expect(didYouMean('tenant', ['global', 'user', 'project', 'tag'])).toBeUndefined();
    expect(didYouMean('anything', [])).toBeUndefined();
  });
});

describe('rejectUnknownKeys', () => {
  it('names the unknown key and suggests the known one', () => {
    const attempt = () => rejectUnknownKeys({ requestTyp: 'chat' }, ['requestType', 'budgetId'], 'options');
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow("Invalid options.requestTyp: is not an option (did you mean 'requestType'?)");
  });

  it('accepts known keys and an empty object', () => {
    expect(() => rejectUnknownKeys({ requestType: 'chat' }, ['requestType'], 'options')).not.toThrow();
    expect(() => rejectUnknownKeys({}, ['requestType'], 'options')).not.toThrow();
  });
});

describe('didYouMean by stem', () => {
  it('suggests the one option a word is the start of, or the word an option starts', () => {
    expect(didYouMean('limit', ['id', 'limitUsd', 'period', 'timeZone'])).toBe('limitUsd');
    expect(didYouMean('monthly', ['day', 'week', 'month', 'total'])).toBe('month');
    expect(didYouMean('daily', ['day', 'week', 'month', 'total'])).toBeUndefined();
  });

  it('suggests nothing when the start fits several options', () => {
    expect(didYouMean('cache', ['cacheReadTokens', 'cacheWriteTokens'])).toBeUndefined();
    expect(didYouMean('li', ['limitUsd'])).toBeUndefined();
  });
});

describe('didYouMean with swapped letters', () => {
  it('counts two swapped neighbours as one typo', () => {
    expect(didYouMean('modle', ['provider', 'model', 'service'])).toBe('model');
    expect(didYouMean('teir', ['provider', 'model', 'tier'])).toBe('tier');
    expect(didYouMean('gpt-4o-mnii', ['gpt-4o', 'gpt-4o-mini', 'o1-mini'])).toBe('gpt-4o-mini');
  });
});
