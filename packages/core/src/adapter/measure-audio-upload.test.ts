import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureAudioUpload } from './measure-audio-upload';
import { wavFile } from '../testing/wav-file';

const tenSeconds = () => new File([Buffer.alloc(160_000)], 'speech.mp3', { type: 'audio/mpeg' });

describe('measureAudioUpload', () => {
  it('knows files, responses and file streams without reading them', async () => {
    expect((await measureAudioUpload(tenSeconds())).audioBytes).toBe(160_000);
    expect(
      (await measureAudioUpload(new Response('abc', { headers: { 'content-length': '3' } }))).audioBytes,
    ).toBe(3);
    const directory = await mkdtemp(join(tmpdir(), 'tollgate-adapter-'));
    const path = join(directory, 'audio.mp3');
    await writeFile(path, Buffer.alloc(32_000));
    const stream = createReadStream(path);
    expect((await measureAudioUpload(stream)).audioBytes).toBe(32_000);
    stream.destroy();
    await rm(directory, { recursive: true });
    expect((await measureAudioUpload('not a file')).audioBytes).toBeUndefined();
  });

  it('gives a WAV file’s duration, as bytes, a Blob or a { content } file object', async () => {
    const file = wavFile(2);
    expect(await measureAudioUpload(file)).toEqual({ audioSeconds: 2 });
    expect(await measureAudioUpload(new Blob([file]))).toEqual({ audioSeconds: 2 });
    expect(await measureAudioUpload({ fileName: 'call.wav', content: file.buffer })).toEqual({
      audioSeconds: 2,
    });
  });

  it('knows nothing of a stream, a URL or a file id', async () => {
    expect(await measureAudioUpload(new ReadableStream())).toEqual({});
    expect(await measureAudioUpload({ fileUrl: 'https://example.com/call.mp3' })).toEqual({});
    expect(await measureAudioUpload('file-abc123')).toEqual({});
  });
});
