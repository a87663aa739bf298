import { WAV_HEADER_BYTES, wavDuration } from './wav-duration';

/** What is known about a transcription's audio before the call: its duration, else its size. */
export interface MistralAudioInput {
  readonly audioSeconds?: number;
  readonly audioBytes?: number;
}

/**
 * Measures the `file` of a transcription request without consuming it: a Blob or a
 * byte buffer has a known size, and a WAV file's header gives its exact duration.
 * A `ReadableStream`, a `fileUrl` or a `fileId` has neither.
 */
export async function measureMistralAudio(file: unknown): Promise<MistralAudioInput> {
  const content = isRecord(file) && 'content' in file ? file.content : file;
  if (content instanceof Uint8Array) return measure(content, content.byteLength);
  if (content instanceof ArrayBuffer) return measure(new Uint8Array(content), content.byteLength);
  if (content instanceof Blob) {
    const header = new Uint8Array(await content.slice(0, WAV_HEADER_BYTES).arrayBuffer());
    return measure(header, content.size);
  }
  return {};
}

function measure(header: Uint8Array, totalBytes: number): MistralAudioInput {
  const seconds = wavDuration(header.subarray(0, WAV_HEADER_BYTES), totalBytes);
  return seconds === undefined ? { audioBytes: totalBytes } : { audioSeconds: seconds };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
