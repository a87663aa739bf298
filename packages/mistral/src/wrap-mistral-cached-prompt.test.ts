import type { Emulator } from '@tollgate/emulator';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { metered, perMillion, withEmulator } from './mistral-test-harness';

const messages = [{ role: 'user' as const, content: 'Answer from the cached contract above.' }];
/** The emulator's input count is the uncached part: prompt_tokens is input + cached. */
const usage = (input: number, cached: number, output: number) => ({
  headers: {
    'x-emulator-input-tokens': String(input),
    'x-emulator-cached-tokens': String(cached),
    'x-emulator-output-tokens': String(output),
  },
});

let emulator: Emulator;
beforeAll(async () => {
  emulator = await withEmulator();
});
afterAll(() => emulator.close());

it.each([
  // docs.mistral.ai/models/mistral-large-3-25-12: $0.50 input, $0.05 cached input, $1.50 output per MTok.
  ['mistral-large-2512', 0.5, 0.05, 1.5],
  ['mistral-large-latest', 0.5, 0.05, 1.5],
  // docs.mistral.ai/models/model-cards/mistral-small-4-0-26-03: $0.15, $0.015 cached, $0.60.
  ['mistral-small-latest', 0.15, 0.015, 0.6],
  // docs.mistral.ai/models/model-cards/mistral-medium-3-5-26-04: $1.50, $0.15 cached, $7.50.
  ['mistral-medium-latest', 1.5, 0.15, 7.5],
] as const)(
  'bills the cached prompt tokens of %s at a tenth of its input price',
  async (model, input, cached, output) => {
    const { client, store } = metered(emulator.mistralServerURL);
    // prompt_tokens (100,000) includes the 60,000 cached ones, reported in prompt_tokens_details.cached_tokens.
    await client.chat.complete({ model, messages, maxTokens: 2_000 }, usage(40_000, 60_000, 1_000));
    const [record] = store.committed;
    expect(record).toMatchObject({ model, inputTokens: 100_000, cacheReadTokens: 60_000, estimated: false });
    expect(record!.cost).toBe(
      perMillion(40_000, input) + perMillion(60_000, cached) + perMillion(1_000, output),
    );
  },
);
