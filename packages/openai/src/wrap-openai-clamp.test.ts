import { BudgetExceededError } from '@tollgate/core';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { type Harness, startHarness } from './testing/openai-test-harness';

// $0.002 affords a short prompt plus about 3,300 gpt-4o-mini output tokens: far below the asks.
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness([{ id: 'small', limitUsd: 0.002, period: 'month' }]);
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.emulator.requests.length = 0;
  harness.store.committed.length = 0;
});

const messages = [{ role: 'user' as const, content: 'Write an essay.' }];
const sentBody = () => harness.emulator.requests.at(-1)!.body as Record<string, unknown>;

test("onInsufficientBudget 'throw' (the default) refuses the call", async () => {
  await expect(
    harness
      .client()
      .chat.completions.create({ model: 'gpt-4o-mini', messages, max_completion_tokens: 100_000 }),
  ).rejects.toSatisfy(BudgetExceededError.isInstance);
  expect(harness.emulator.requests).toHaveLength(0);
});

test("'clamp' shrinks max_completion_tokens to what the budget affords", async () => {
  const client = harness.client({ onInsufficientBudget: 'clamp' });
  await client.chat.completions.create({ model: 'gpt-4o-mini', messages, max_completion_tokens: 100_000 });
  const sent = sentBody().max_completion_tokens as number;
  expect(sent).toBeGreaterThan(16);
  expect(sent).toBeLessThan(3_400);
  expect(sentBody()).not.toHaveProperty('max_tokens');
  const [record] = await harness.recorded(1);
  expect(record!.reserved).toBeLessThanOrEqual(2_000_000);
  expect(record!.cost).toBeLessThanOrEqual(record!.reserved);
});

test("'clamp' shrinks max_tokens when the caller used it", async () => {
  await harness
    .client({ onInsufficientBudget: 'clamp' })
    .chat.completions.create({ model: 'gpt-4o-mini', messages, max_tokens: 100_000 });
  expect(sentBody().max_tokens).toBeLessThan(3_400);
  expect(sentBody()).not.toHaveProperty('max_completion_tokens');
});

test("'clamp' sets max_completion_tokens when the caller set no limit (the model's maximum does not fit)", async () => {
  await harness
    .client({ onInsufficientBudget: 'clamp' })
    .chat.completions.create({ model: 'gpt-4o-mini', messages });
  expect(sentBody().max_completion_tokens).toBeLessThan(3_400);
});

test("'clamp' on an OpenAI-compatible server sets max_tokens, the field those servers know", async () => {
  await harness
    .client({ onInsufficientBudget: 'clamp', provider: 'qwen' })
    .chat.completions.create({ model: 'qwen-max', messages });
  expect(sentBody().max_tokens).toBeLessThan(8_192);
  expect(sentBody()).not.toHaveProperty('max_completion_tokens');
});

test("'clamp' shrinks a stream's limit and the Responses API's max_output_tokens", async () => {
  const client = harness.client({ onInsufficientBudget: 'clamp' });
  for await (const _ of await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages,
    max_completion_tokens: 50_000,
    stream: true,
  })) {
    // read to the end
  }
  expect(sentBody().max_completion_tokens).toBeLessThan(3_400);
  await client.responses.create({
    model: 'gpt-4o-mini',
    input: 'Write an essay.',
    max_output_tokens: 100_000,
  });
  expect(sentBody().max_output_tokens).toBeLessThan(3_400);
  expect(await harness.recorded(2)).toHaveLength(2);
});
