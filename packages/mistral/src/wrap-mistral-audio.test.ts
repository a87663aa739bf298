import type { TranscriptionStreamEvents } from '@mistralai/mistralai/models/components';
import type { Emulator } from '@tollgate/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collect, ledger, metered, withEmulator } from './mistral-test-harness';
import { wavFile } from '@tollgate/core/testing';

// Core's catalog: voxtral-mini-latest $0.003 per audio minute, voxtral-small-latest $0.004.
const perAudioMinute = (seconds: number, usdPerMinute: number) =>
  Math.round((seconds / 60) * usdPerMinute * 1e9);
const audioSeconds = (seconds: number) => ({ headers: { 'x-emulator-audio-seconds': String(seconds) } });

let emulator: Emulator;
beforeAll(async () => {
  emulator = await withEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

describe('audio.transcriptions.complete', () => {
  it('reserves the exact duration of a WAV file and records prompt_audio_seconds at $0.003 a minute', async () => {
    const { client, store, budget } = metered(emulator.mistralServerURL);
    const response = await client.audio.transcriptions.complete(
      { model: 'voxtral-mini-latest', file: { fileName: 'call.wav', content: wavFile(10) } },
      audioSeconds(10),
    );

    expect(response.usage.promptAudioSeconds).toBe(10);
    const record = store.committed[0]!;
    expect(record).toMatchObject({
      service: 'stt',
      audioMilliseconds: 10_000,
      estimated: false,
      inputTokens: 0,
      outputTokens: 0,
    });
    expect(record.cost).toBe(perAudioMinute(10, 0.003));
    expect(record.reserved).toBe(perAudioMinute(10, 0.003));
    expect(await ledger(budget)).toEqual({ reserved: 0, used: record.cost });
  });

  it('reserves from the file size when the duration is unknown, and from the assumed length without a file', async () => {
    const { client, store } = metered(emulator.mistralServerURL, { assumedAudioSeconds: 120 });
    // 80,000 bytes of compressed audio at core's assumed 64 kbit/s: 10 seconds.
    const compressed = new Blob([new Uint8Array(80_000).fill(7)], { type: 'audio/mpeg' });
    await client.audio.transcriptions.complete(
      { model: 'voxtral-mini-latest', file: compressed },
      audioSeconds(9),
    );
    await client.audio.transcriptions.complete(
      { model: 'voxtral-mini-latest', fileUrl: 'https://example.com/meeting.mp3' },
      audioSeconds(100),
    );

    expect(store.committed[0]!.reserved).toBe(perAudioMinute(10, 0.003));
    expect(store.committed[0]!.cost).toBe(perAudioMinute(9, 0.003));
    expect(store.committed[1]!.reserved).toBe(perAudioMinute(120, 0.003));
    expect(store.committed[1]!.cost).toBe(perAudioMinute(100, 0.003));
  });

  it('bills only the audio minutes of a model that also has token prices', async () => {
    const { client, store } = metered(emulator.mistralServerURL);
    await client.audio.transcriptions.complete(
      { model: 'voxtral-small-latest', file: { fileName: 'call.wav', content: wavFile(30) } },
      audioSeconds(30),
    );
    expect(store.committed[0]!.cost).toBe(perAudioMinute(30, 0.004));
  });
});

describe('audio.transcriptions.stream', () => {
  it('yields the same events and records the transcription.done usage', async () => {
    const { client, bare, store } = metered(emulator.mistralServerURL);
    const request = { model: 'voxtral-mini-latest', file: { fileName: 'call.wav', content: wavFile(6) } };
    const plain = await collect(await bare.audio.transcriptions.stream(request, audioSeconds(6)));
    emulator.reset();
    const events = await collect(await client.audio.transcriptions.stream(request, audioSeconds(6)));

    expect(events).toEqual(plain);
    expect(events.at(-1)!.data.type).toBe('transcription.done');
    expect(store.committed[0]).toMatchObject({ estimated: false, audioMilliseconds: 6_000 });
    expect(store.committed[0]!.cost).toBe(perAudioMinute(6, 0.003));
  });

  it('settles a stream left early from the audio length, marked estimated', async () => {
    const { client, store, budget } = metered(emulator.mistralServerURL);
    const stream = await client.audio.transcriptions.stream(
      { model: 'voxtral-mini-latest', file: { fileName: 'call.wav', content: wavFile(20) } },
      audioSeconds(20),
    );
    const seen: TranscriptionStreamEvents[] = [];
    for await (const event of stream) {
      seen.push(event);
      if (seen.length === 3) break;
    }
    expect(store.committed[0]).toMatchObject({ estimated: true, audioMilliseconds: 20_000 });
    expect(store.committed[0]!.cost).toBe(perAudioMinute(20, 0.003));
    expect((await ledger(budget)).reserved).toBe(0);
  });

  it('settles a stream without its done event as estimated', async () => {
    const { client, store } = metered(emulator.mistralServerURL);
    await collect(
      await client.audio.transcriptions.stream(
        { model: 'voxtral-mini-latest', file: { fileName: 'call.wav', content: wavFile(4) } },
        { headers: { 'x-emulator-audio-seconds': '4', 'x-emulator-omit-usage': 'true' } },
      ),
    );
    expect(store.committed[0]).toMatchObject({ estimated: true, audioMilliseconds: 4_000 });
    expect(store.committed[0]!.cost).toBeGreaterThan(0);
  });
});

describe('embeddings.create', () => {
  it('records mistral-embed at $0.10 per million tokens under the response id', async () => {
    const { client, store, budget } = metered(emulator.mistralServerURL);
    const response = await client.embeddings.create(
      { model: 'mistral-embed', inputs: ['first document', 'second document'] },
      { headers: { 'x-emulator-input-tokens': '2000' } },
    );
    expect(response.data).toHaveLength(2);
    const record = store.committed[0]!;
    expect(record).toMatchObject({
      requestId: response.id,
      service: 'embedding',
      inputTokens: 2000,
      outputTokens: 0,
    });
    expect(record.cost).toBe(Math.round(2000 * 0.1 * 1_000));
    expect(await ledger(budget)).toEqual({ reserved: 0, used: record.cost });
  });

  it('returns the same embeddings as a bare client', async () => {
    const { client, bare } = metered(emulator.mistralServerURL);
    const request = { model: 'mistral-embed', inputs: 'tollgate' };
    const wrapped = await client.embeddings.create(request);
    const plain = await bare.embeddings.create(request);
    expect(wrapped.data).toEqual(plain.data);
  });
});
