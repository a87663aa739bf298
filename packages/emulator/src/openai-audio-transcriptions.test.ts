import { toFile } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './emulator.js';
import { collect, openaiClient } from './sdk-test-clients.js';

function audioFile(bytes: number) {
  return toFile(Buffer.alloc(bytes), 'speech.mp3', { type: 'audio/mpeg' });
}

describe('OpenAI audio transcriptions', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  it('reports token usage for gpt-4o-transcribe, audio length from the upload size', async () => {
    const client = openaiClient(emulator);
    // 80,000 bytes at 16,000 bytes per second: 5 seconds, 50 audio tokens, 10 words.
    const result = await client.audio.transcriptions.create({
      model: 'gpt-4o-transcribe',
      file: await audioFile(80_000),
      prompt: 'Budget meeting',
    });
    expect(result.text.split(' ')).toHaveLength(10);
    expect(result.usage).toEqual({
      type: 'tokens',
      input_tokens: 54,
      input_token_details: { audio_tokens: 50, text_tokens: 4 },
      output_tokens: 10,
      total_tokens: 64,
    });
    const recorded = emulator.requests.at(-1)!;
    expect(recorded.multipartFields).toEqual(expect.arrayContaining(['model', 'file', 'prompt']));
    expect(recorded.body).toMatchObject({
      model: 'gpt-4o-transcribe',
      file: { filename: 'speech.mp3', size: 80_000 },
    });
  });

  it('reports duration usage for whisper-1 and takes the length from the header', async () => {
    const client = openaiClient(emulator, { 'x-emulator-audio-seconds': '61.2' });
    const result = await client.audio.transcriptions.create({
      model: 'whisper-1',
      file: await audioFile(10),
    });
    expect(result.usage).toEqual({ type: 'duration', seconds: 62 });
  });

  it('returns verbose_json with duration, language and segments', async () => {
    const client = openaiClient(emulator, { 'x-emulator-audio-seconds': '12' });
    const result = await client.audio.transcriptions.create({
      model: 'whisper-1',
      file: await audioFile(10),
      response_format: 'verbose_json',
    });
    expect(result.duration).toBe(12);
    expect(result.language).toBe('english');
    expect(result.segments?.map((segment) => segment.id)).toEqual([0, 1, 2]);
    expect(result.segments?.at(-1)?.end).toBe(12);
    expect(result.usage).toEqual({ type: 'duration', seconds: 12 });
  });

  it('returns plain text for response_format text', async () => {
    const client = openaiClient(emulator, { 'x-emulator-output-tokens': '3' });
    const text = await client.audio.transcriptions.create({
      model: 'whisper-1',
      file: await audioFile(10),
      response_format: 'text',
    });
    expect(text).toBe('Lorem ipsum dolor');
  });

  it('streams text deltas and a done event with the usage', async () => {
    const client = openaiClient(emulator, { 'x-emulator-audio-seconds': '2' });
    const events = await collect(
      await client.audio.transcriptions.create({
        model: 'gpt-4o-mini-transcribe',
        file: await audioFile(10),
        stream: true,
      }),
    );
    expect(events.filter((event) => event.type === 'transcript.text.delta')).toHaveLength(4);
    const done = events.at(-1);
    if (done?.type !== 'transcript.text.done') throw new Error('expected transcript.text.done');
    expect(done.text).toBe('Lorem ipsum dolor sit');
    expect(done.usage).toMatchObject({
      type: 'tokens',
      input_tokens: 20,
      output_tokens: 4,
      total_tokens: 24,
    });
  });
});
