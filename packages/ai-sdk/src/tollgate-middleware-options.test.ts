import { ValidationError } from '@tollgate/core';
import { describe, expect, it } from 'vitest';
import { testBudget } from './ai-sdk-test-support';
import { tollgateEmbeddingMiddleware, tollgateMiddleware } from './index';

/** A valid value of each option the middlewares take. */
const VALID: Record<string, unknown> = {
  provider: 'openai',
  requestType: 'chat',
  context: { userId: 'u1' },
  onInsufficientBudget: 'clamp',
  minOutputTokens: 16,
  settle: 'background',
  onSettleError: () => {},
};

function knownOptionsNamedBy(make: (options: never) => unknown): string[] {
  try {
    make({ requestTyp: 'chat' } as never);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    const listed = /known options: (.*)$/.exec((error as Error).message)?.[1];
    expect(listed).toBeDefined();
    return listed!.split(', ');
  }
  throw new Error('an unknown option was taken');
}

describe.each([
  ['tollgateMiddleware', tollgateMiddleware],
  ['tollgateEmbeddingMiddleware', tollgateEmbeddingMiddleware],
] as const)('%s: the options an unknown option error names', (_, middleware) => {
  const make = (options: never) => middleware(testBudget(), options);

  it('are exactly the options it takes', () => {
    const named = knownOptionsNamedBy(make);
    expect(named.sort()).toEqual(Object.keys(VALID).sort());
    for (const option of named) expect(() => make({ [option]: VALID[option] } as never)).not.toThrow();
  });

  it('leave out downgrade, which it refuses', () => {
    expect(() => make({ downgrade: true } as never)).toThrow(/downgrade.*budget\.select/);
  });
});
