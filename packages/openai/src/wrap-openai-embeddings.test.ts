import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Harness, startHarness } from './testing/openai-test-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

// text-embedding-3-small: $0.02 per million tokens = 20 nano-USD a token.
const NANO_PER_TOKEN = 20;

test('embeddings.create records the prompt tokens at the embedding price, under the admission id', async () => {
  const response = await harness
    .client()
    .embeddings.create(
      { model: 'text-embedding-3-small', input: ['first document', 'second document'] },
      { headers: { 'x-emulator-input-tokens': '1234' } },
    );
  expect(response.data).toHaveLength(2);
  expect(response.data[0]!.embedding).toHaveLength(1536);
  const [record] = await harness.recorded(1);
  expect(record).toMatchObject({
    service: 'embedding',
    model: 'text-embedding-3-small',
    cost: 1234 * NANO_PER_TOKEN,
    inputTokens: 1234,
    estimated: false,
  });
  expect(record!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(await harness.reserved()).toBe(0);
});

test('token-array input is counted by its length', async () => {
  harness.store.committed.length = 0;
  await harness.client().embeddings.create({ model: 'text-embedding-3-small', input: [[1, 2, 3, 4, 5]] });
  const [record] = await harness.recorded(1);
  expect(record).toMatchObject({ inputTokens: 5, cost: 5 * NANO_PER_TOKEN });
});
