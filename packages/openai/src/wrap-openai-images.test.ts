import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { type Harness, startHarness } from './testing/openai-test-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.store.committed.length = 0;
});

test('dall-e-3 is priced per image ($0.04)', async () => {
  const response = await harness
    .client()
    .images.generate({ model: 'dall-e-3', prompt: 'A red fox in the snow' });
  expect(response.data).toHaveLength(1);
  const [record] = await harness.recorded(1);
  expect(record).toMatchObject({ service: 'image', images: 1, cost: 40_000_000, estimated: false });
  expect(await harness.reserved()).toBe(0);
});

test('gpt-image-1 is priced per image ($0.042) plus text input tokens ($5 / MTok)', async () => {
  await harness.client().images.generate({ model: 'gpt-image-1', prompt: 'A red fox', n: 2 });
  const [record] = await harness.recorded(1);
  // The emulator counts ceil(9 / 4) = 3 prompt tokens.
  expect(record).toMatchObject({ images: 2, inputTokens: 3, cost: 3 * 5_000 + 2 * 42_000_000 });
});

test('a model the catalog has no price for passes through untouched', async () => {
  const response = await harness
    .client()
    .images.generate({ model: 'my-own-image-model', prompt: 'A red fox' });
  expect(response.data).toHaveLength(1);
  expect(harness.store.committed).toHaveLength(0);
});
