/** Content types of the speech formats, as the OpenAI API sends them. */
export const SPEECH_CONTENT_TYPES: Readonly<Record<string, string>> = {
  mp3: 'audio/mpeg',
  opus: 'audio/opus',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};

// MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding: 417-byte frames of 1152 samples.
const MP3_FRAME_HEADER = [0xff, 0xfb, 0x90, 0x64];
const MP3_FRAME_BYTES = 417;
const MP3_FRAMES_PER_SECOND = 44_100 / 1152;
const PCM_SAMPLE_RATE = 24_000;

function silentMp3(seconds: number): Buffer {
  const frames = Math.ceil(seconds * MP3_FRAMES_PER_SECOND);
  const audio = Buffer.alloc(frames * MP3_FRAME_BYTES);
  for (let frame = 0; frame < frames; frame += 1) {
    audio.set(MP3_FRAME_HEADER, frame * MP3_FRAME_BYTES);
  }
  return audio;
}

function silentPcm(seconds: number): Buffer {
  return Buffer.alloc(Math.ceil(seconds * PCM_SAMPLE_RATE) * 2);
}

function silentWav(seconds: number): Buffer {
  const samples = silentPcm(seconds);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + samples.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(PCM_SAMPLE_RATE, 24);
  header.writeUInt32LE(PCM_SAMPLE_RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(samples.length, 40);
  return Buffer.concat([header, samples]);
}

/**
 * Silent audio of the given length. MP3, WAV and PCM are well-formed; the other
 * formats are zero bytes of an MP3-like size under their content type.
 */
export function silentAudio(format: string, seconds: number): Buffer {
  switch (format) {
    case 'wav':
      return silentWav(seconds);
    case 'pcm':
      return silentPcm(seconds);
    case 'mp3':
      return silentMp3(seconds);
    default:
      return Buffer.alloc(Math.ceil(seconds * MP3_FRAMES_PER_SECOND) * MP3_FRAME_BYTES);
  }
}
