import type { ServiceType } from '@tollgate/core';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { GPT_4O_MINI, type Harness, startHarness } from './testing/openai-test-harness';

let harness: Harness;
const asked: Array<{ provider: string; service: ServiceType; model: string }> = [];
beforeAll(async () => {
  harness = await startHarness();
  // The budget's cost strategy, reduced to one rule: gpt-4o moves to gpt-4o-mini.
  Object.assign(harness.budget, {
    downgradeFor: async (request: { provider: string; service: ServiceType; model: string }) => {
      asked.push(request);
      return request.model === 'gpt-4o' ? { model: 'gpt-4o-mini', reason: 'ORANGE: balanced' } : undefined;
    },
  });
});
afterAll(() => harness.close());
beforeEach(() => {
  asked.length = 0;
  harness.store.committed.length = 0;
});

const headers = { 'x-emulator-input-tokens': '100', 'x-emulator-output-tokens': '10' };

test('downgrade: true sends the call to the cheaper model and prices it there', async () => {
  const completion = await harness
    .client({ downgrade: true })
    .chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, { headers });
  expect(asked).toEqual([{ provider: 'openai', service: 'llm', model: 'gpt-4o' }]);
  expect(harness.emulator.requests.at(-1)!.body).toMatchObject({ model: 'gpt-4o-mini' });
  expect(completion.model).toBe('gpt-4o-mini');
  const [record] = await harness.recorded(1);
  expect(record).toMatchObject({
    model: 'gpt-4o-mini',
    cost: 100 * GPT_4O_MINI.input + 10 * GPT_4O_MINI.output,
  });
});

test('the Responses API is downgraded too', async () => {
  await harness.client({ downgrade: true }).responses.create({ model: 'gpt-4o', input: 'hi' }, { headers });
  expect(harness.emulator.requests.at(-1)!.body).toMatchObject({ model: 'gpt-4o-mini' });
});

test('without downgrade: true the model is left alone', async () => {
  await harness
    .client()
    .chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, { headers });
  expect(asked).toHaveLength(0);
  expect(harness.emulator.requests.at(-1)!.body).toMatchObject({ model: 'gpt-4o' });
  // gpt-4o: $2.50 / $10 per MTok.
  expect((await harness.recorded(1))[0]).toMatchObject({ model: 'gpt-4o', cost: 100 * 2_500 + 10 * 10_000 });
});

test('embeddings are never downgraded: another model would change the vectors', async () => {
  await harness
    .client({ downgrade: true })
    .embeddings.create({ model: 'text-embedding-3-large', input: 'hi' });
  expect(asked).toHaveLength(0);
});
