import { createBudget, ValidationError } from '@tollgate/core';
import { type Emulator, startEmulator } from '@tollgate/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropicClient } from './anthropic-test-support';
import { wrapAnthropic } from './wrap-anthropic';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

describe('wrapAnthropic options', () => {
  it('refuses an unknown option with the one it most likely means, and takes its own', () => {
    const budget = createBudget();
    expect(() =>
      wrapAnthropic(anthropicClient(emulator), budget, { estimateWit: 'countTokens' } as never),
    ).toThrow("Invalid options.estimateWit: is not an option (did you mean 'estimateWith'?)");
    expect(() =>
      wrapAnthropic(anthropicClient(emulator), budget, { estimateWith: 'countTokens', requestType: 'chat' }),
    ).not.toThrow();
    expect(emulator.requests).toHaveLength(0);
  });

  it('refuses an object that is not an Anthropic client, saying what it is', () => {
    const error = (() => {
      try {
        wrapAnthropic({ messages: {} } as never, createBudget());
      } catch (caught) {
        return caught;
      }
    })();
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).message).toBe(
      "Invalid client: must be an Anthropic client (from '@anthropic-ai/sdk'), got a plain object, which is not a client of any SDK tollgate wraps",
    );
  });
});
