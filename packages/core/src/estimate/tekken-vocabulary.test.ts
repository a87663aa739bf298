import { describe, expect, it } from 'vitest';
import { countTokens } from './token-counter';
import { isTekkenVocabularyLoaded } from './tekken-vocabulary';

describe('the Tekken vocabulary', () => {
  it('is read on the first Mistral count, not when the estimator is imported', () => {
    expect(isTekkenVocabularyLoaded()).toBe(false);
    countTokens('hello world', 'anthropic', 'claude-sonnet-4-5');
    countTokens('hello world', 'mistral', 'mistral-large-2411');
    expect(isTekkenVocabularyLoaded()).toBe(false);
    expect(countTokens('hello world', 'mistral', 'mistral-small-latest')).toEqual({
      tokens: 2,
      method: 'exact',
      upperBound: 2,
    });
    expect(isTekkenVocabularyLoaded()).toBe(true);
  });
});
