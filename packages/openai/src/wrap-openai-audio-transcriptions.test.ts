import { toFile } from 'openai';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { collect, type Harness, startHarness } from './testing/openai-test-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.store.committed.length = 0;
});

// The emulator hears 16,000 bytes a second: this upload is 10 seconds long.
const tenSeconds = () => toFile(Buffer.alloc(160_000), 'speech.mp3', { type: 'audio/mpeg' });
// whisper-1: $0.006 a minute = 100,000 nano-USD a second.
const WHISPER_NANO_PER_SECOND = 100_000;
// gpt-4o-transcribe: $2.50 / MTok text in, $6 / MTok audio in, $10 / MTok out.
const TRANSCRIBE = { text: 2_500, audio: 6_000, output: 10_000 };
// gpt-4o-mini-transcribe: $1.25, $3, $5.
const MINI_TRANSCRIBE = { text: 1_250, audio: 3_000, output: 5_000 };

test('whisper: settled from the usage duration; the gate estimated from the file size', async () => {
  const transcription = await harness
    .client()
    .audio.transcriptions.create({ model: 'whisper-1', file: await tenSeconds() });
  expect(transcription.usage).toEqual({ type: 'duration', seconds: 10 });
  const [record] = await harness.recorded(1);
  expect(record).toMatchObject({
    service: 'stt',
    cost: 10 * WHISPER_NANO_PER_SECOND,
    audioMilliseconds: 10_000,
    estimated: false,
  });
  expect(record!.reserved).toBeGreaterThan(0);
  expect(await harness.reserved()).toBe(0);
});

test('whisper verbose_json: settled from its duration', async () => {
  const transcription = await harness.client().audio.transcriptions.create({
    model: 'whisper-1',
    file: await tenSeconds(),
    response_format: 'verbose_json',
  });
  expect(transcription.duration).toBe(10);
  const [record] = await harness.recorded(1);
  expect(record).toMatchObject({ cost: 10 * WHISPER_NANO_PER_SECOND, estimated: false });
});

test('a plain-text transcript has no usage: the gate estimate is recorded, marked estimated', async () => {
  const text = await harness
    .client()
    .audio.transcriptions.create({ model: 'whisper-1', file: await tenSeconds(), response_format: 'text' });
  expect(typeof text).toBe('string');
  const [record] = await harness.recorded(1);
  expect(record).toMatchObject({ estimated: true });
  expect(record!.cost).toBe(record!.reserved);
  expect(record!.cost).toBeGreaterThan(0);
});

test('gpt-4o-transcribe: token usage, audio tokens at the audio rate', async () => {
  const transcription = await harness.client().audio.transcriptions.create({
    model: 'gpt-4o-transcribe',
    file: await tenSeconds(),
    prompt: 'Names: Ada',
  });
  // 10 audio tokens a second + ceil(10 / 4) prompt tokens in, 2 words a second out.
  expect(transcription.usage).toMatchObject({ type: 'tokens', input_tokens: 103, output_tokens: 20 });
  const [record] = await harness.recorded(1);
  expect(record).toMatchObject({
    cost: 3 * TRANSCRIBE.text + 100 * TRANSCRIBE.audio + 20 * TRANSCRIBE.output,
    estimated: false,
  });
});

test('a transcription stream settles from transcript.text.done', async () => {
  const stream = await harness
    .client()
    .audio.transcriptions.create({ model: 'gpt-4o-mini-transcribe', file: await tenSeconds(), stream: true });
  const events = await collect(stream);
  expect(events.at(-1)?.type).toBe('transcript.text.done');
  const [record] = await harness.recorded(1);
  expect(record).toMatchObject({
    cost: 100 * MINI_TRANSCRIBE.audio + 20 * MINI_TRANSCRIBE.output,
    estimated: false,
  });
});

test('an abandoned transcription stream is recorded as estimated', async () => {
  const stream = await harness
    .client()
    .audio.transcriptions.create({ model: 'gpt-4o-mini-transcribe', file: await tenSeconds(), stream: true });
  for await (const event of stream) if (event.type === 'transcript.text.delta') break;
  const [record] = await harness.recorded(1);
  expect(record).toMatchObject({ estimated: true });
  expect(record!.cost).toBeGreaterThan(0);
});
