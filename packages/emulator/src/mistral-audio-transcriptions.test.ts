import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './emulator.js';
import { collect, mistralClient } from './sdk-test-clients.js';

function audioFile(bytes: number) {
  return { fileName: 'call.mp3', content: new Uint8Array(bytes) };
}

describe('Mistral audio transcriptions', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  it('reports whole prompt_audio_seconds and token usage', async () => {
    // 48,000 bytes at 16,000 bytes per second: 3 seconds, 30 prompt tokens, 6 words.
    const result = await mistralClient(emulator).audio.transcriptions.complete({
      model: 'voxtral-mini-latest',
      file: audioFile(48_000),
      language: 'fr',
    });
    expect(result.text).toBe('Lorem ipsum dolor sit amet, consectetur');
    expect(result.language).toBe('fr');
    expect(result.segments?.[0]).toMatchObject({ type: 'transcription_segment', start: 0, end: 3 });
    expect(result.usage).toEqual({
      promptAudioSeconds: 3,
      promptTokens: 30,
      completionTokens: 6,
      totalTokens: 36,
    });
    expect(emulator.requests.at(-1)?.multipartFields).toEqual(expect.arrayContaining(['model', 'file']));
  });

  it('streams language, text deltas and a done event with the usage', async () => {
    const events = await collect(
      await mistralClient(emulator).audio.transcriptions.stream(
        { model: 'voxtral-mini-latest', file: audioFile(10) },
        { headers: { 'x-emulator-audio-seconds': '90' } },
      ),
    );
    expect(events[0]?.event).toBe('transcription.language');
    expect(events.filter((event) => event.event === 'transcription.text.delta')).toHaveLength(180);
    const done = events.at(-1)?.data;
    if (done?.type !== 'transcription.done') throw new Error('expected transcription.done');
    expect(done.usage).toMatchObject({ promptAudioSeconds: 90, promptTokens: 900, completionTokens: 180 });
  });
});
