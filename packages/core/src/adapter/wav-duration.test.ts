import { describe, expect, it } from 'vitest';
import { wavDuration } from './wav-duration';
import { wavFile } from '../testing/wav-file';

describe('wavDuration', () => {
  it('reads the duration of a PCM WAV file from its header', () => {
    const file = wavFile(2.5);
    expect(wavDuration(file, file.length)).toBe(2.5);
  });

  it('skips other chunks, including odd-sized ones', () => {
    const file = wavFile(1, { sampleRate: 8_000, extraChunk: 7 });
    expect(wavDuration(file, file.length)).toBe(1);
  });

  it('bounds an unset data size by the file size', () => {
    const file = wavFile(3, { dataSizeField: 0xffffffff });
    expect(wavDuration(file, file.length)).toBe(3);
  });

  it('does not recognize other formats', () => {
    expect(wavDuration(new TextEncoder().encode('ID3\u0004 mp3 data here'), 100)).toBeUndefined();
    expect(wavDuration(new Uint8Array(4), 4)).toBeUndefined();
  });
});
