import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './emulator.js';
import { openaiClient } from './sdk-test-clients.js';

describe('OpenAI audio speech', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('returns MP3 bytes sized by the input length', async () => {
    const response = await openaiClient(emulator).audio.speech.create({
      model: 'tts-1',
      voice: 'alloy',
      input: 'x'.repeat(30),
    });
    expect(response.headers.get('content-type')).toBe('audio/mpeg');
    const audio = Buffer.from(await response.arrayBuffer());
    // Two seconds of 128 kbit/s frames.
    expect(audio.length).toBe(77 * 417);
    expect([...audio.subarray(0, 2)]).toEqual([0xff, 0xfb]);
  });

  it('returns a WAV file for response_format wav', async () => {
    const response = await openaiClient(emulator).audio.speech.create({
      model: 'gpt-4o-mini-tts',
      voice: 'coral',
      input: 'Hello',
      response_format: 'wav',
    });
    expect(response.headers.get('content-type')).toBe('audio/wav');
    const audio = Buffer.from(await response.arrayBuffer());
    expect(audio.subarray(0, 4).toString('ascii')).toBe('RIFF');
  });

  it('streams speech.audio events with token usage for stream_format sse', async () => {
    const response = await openaiClient(emulator).audio.speech.create({
      model: 'gpt-4o-mini-tts',
      voice: 'coral',
      input: 'y'.repeat(45),
      instructions: 'Calm',
      stream_format: 'sse',
    });
    const events = (await response.text())
      .split('\n\n')
      .filter((block) => block.startsWith('data: '))
      .map((block) => JSON.parse(block.slice('data: '.length)));
    expect(events.filter((event) => event.type === 'speech.audio.delta')).toHaveLength(3);
    expect(events.at(-1)).toEqual({
      type: 'speech.audio.done',
      usage: { input_tokens: 13, output_tokens: 30, total_tokens: 43 },
    });
  });
});
