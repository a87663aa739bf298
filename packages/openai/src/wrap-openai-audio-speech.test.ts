import { countTokens } from '@tollgate/core';
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

const INPUT = 'Hello world, this is a test.';

test('tts-1 is priced per input character, exactly', async () => {
  const response = await harness
    .client()
    .audio.speech.create({ model: 'tts-1', voice: 'alloy', input: INPUT });
  expect(response.headers.get('content-type')).toBe('audio/mpeg');
  expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
  const [record] = await harness.recorded(1);
  // $15 per million characters = 15,000 nano-USD a character.
  expect(record).toMatchObject({
    service: 'tts',
    characters: INPUT.length,
    cost: INPUT.length * 15_000,
    estimated: false,
  });
});

test('tts-1-hd is priced per character at its own rate', async () => {
  await (
    await harness.client().audio.speech.create({ model: 'tts-1-hd', voice: 'alloy', input: INPUT })
  ).arrayBuffer();
  const [record] = await harness.recorded(1);
  expect(record).toMatchObject({ cost: INPUT.length * 30_000, estimated: false });
});

test('gpt-4o-mini-tts: text tokens plus estimated audio tokens, marked estimated', async () => {
  await (
    await harness.client().audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'alloy', input: INPUT })
  ).arrayBuffer();
  const [record] = await harness.recorded(1);
  // $0.60 / MTok text in, $12 / MTok audio out; about 1.5 audio tokens per character.
  const textTokens = countTokens(INPUT, 'openai', 'gpt-4o-mini-tts').tokens;
  const audioTokens = Math.ceil(INPUT.length * 1.5);
  expect(record).toMatchObject({ estimated: true, cost: textTokens * 600 + audioTokens * 12_000 });
});

test("gpt-4o-mini-tts with stream_format 'sse' is settled from speech.audio.done's usage", async () => {
  const response = await harness
    .client()
    .audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'alloy', input: INPUT, stream_format: 'sse' });
  const body = await response.text();
  expect(body).toContain('speech.audio.done');
  const [record] = await harness.recorded(1);
  // The emulator: ceil(28 / 4) = 7 text tokens, ceil(28 / 15) = 2 seconds of 10 audio tokens.
  expect(record).toMatchObject({ estimated: false, cost: 7 * 600 + 20 * 12_000 });
});
