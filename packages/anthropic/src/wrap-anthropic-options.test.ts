import { createBudget, RENAMED_OPTION_VALUE_WARNING_CODE, ValidationError } from '@tollgate/core';
import { type Emulator, startEmulator } from '@tollgate/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  anthropicClient,
  localTokens,
  MODEL,
  nanoUsd,
  SONNET_4_5,
  testBudget,
} from './anthropic-test-support';
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

  it('checks estimateWith and countTimeoutMs when the client is wrapped', () => {
    const budget = createBudget();
    const wrap = (options: object) => () =>
      wrapAnthropic(anthropicClient(emulator), budget, options as never);
    expect(wrap({ estimateWith: 'Auto' })).toThrow(
      "Invalid options.estimateWith: must be one of auto, bound, countTokens (did you mean 'auto'?)",
    );
    expect(wrap({ estimateWith: 'exact' })).toThrow(
      'Invalid options.estimateWith: must be one of auto, bound, countTokens',
    );
    expect(wrap({ countTimeoutMs: 0 })).toThrow(
      'Invalid options.countTimeoutMs: must be a positive whole number',
    );
    expect(wrap({ countTimeoutMs: 1.5 })).toThrow(ValidationError);
    expect(wrap({ estimateWith: 'auto', countTimeoutMs: 500 })).not.toThrow();
    expect(wrap({ estimateWith: 'bound' })).not.toThrow();
  });

  it("keeps 'local' as a deprecated name of 'bound', warning once", async () => {
    const warnings: (Error & { code?: string })[] = [];
    const listen = (warning: Error) => warnings.push(warning);
    process.on('warning', listen);
    try {
      // One token short of the bound: 'auto' would count the prompt and admit the call.
      const limitNano = nanoUsd(localTokens('Hello') + 3, SONNET_4_5.input) + nanoUsd(600, SONNET_4_5.output);
      const budget = testBudget(limitNano / 1e9);
      const client = wrapAnthropic(anthropicClient(emulator), budget, { estimateWith: 'local' });
      wrapAnthropic(anthropicClient(emulator), budget, { estimateWith: 'local' });
      // A call whose bound does not fit is refused as with 'bound': no count is asked.
      const params = {
        model: MODEL,
        max_tokens: 600,
        messages: [{ role: 'user' as const, content: 'Hello' }],
      };
      await expect(client.messages.create(params)).rejects.toMatchObject({
        reason: 'insufficient-remaining',
      });
      expect(emulator.requests).toHaveLength(0);
      await expect(
        wrapAnthropic(anthropicClient(emulator), budget).messages.create(params),
      ).resolves.toBeTruthy();
      expect(emulator.requests.map((request) => request.endpoint)).toEqual([
        'messages.count_tokens',
        'messages',
      ]);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listen);
    }
    expect(warnings.map((warning) => [warning.name, warning.code, warning.message])).toEqual([
      [
        'DeprecationWarning',
        RENAMED_OPTION_VALUE_WARNING_CODE,
        "options.estimateWith: 'local' is deprecated and will be removed in the next minor version: use 'bound'.",
      ],
    ]);
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
