import { WAV_HEADER_BYTES, wavDuration } from './wav-duration';

/** What is known of an audio upload before the call: its exact duration, else its size. */
export interface AudioUpload {
  readonly audioSeconds?: number;
  readonly audioBytes?: number;
}

/**
 * Measures an upload without consuming it. Bytes and a `Blob` or `File` have a known size,
 * and a WAV file's header gives its exact duration; a `Response` has its content length and a
 * `fs.ReadStream` its file's size. A `{ content }` file object is measured by its content. A
 * `ReadableStream`, a URL or a file id has neither: nothing is known.
 */
export async function measureAudioUpload(file: unknown): Promise<AudioUpload> {
  if (file === null || typeof file !== 'object') return {};
  const content = 'content' in file ? (file as { content: unknown }).content : file;
  if (content instanceof Uint8Array) return fromHeader(content, content.byteLength);
  if (content instanceof ArrayBuffer) return fromHeader(new Uint8Array(content), content.byteLength);
  if (content instanceof Blob)
    return fromHeader(new Uint8Array(await content.slice(0, WAV_HEADER_BYTES).arrayBuffer()), content.size);
  const bytes = await sizeOf(
    content as { size?: unknown; byteLength?: unknown; headers?: unknown; path?: unknown },
  );
  return bytes === undefined ? {} : { audioBytes: bytes };
}

function fromHeader(header: Uint8Array, totalBytes: number): AudioUpload {
  const seconds = wavDuration(header.subarray(0, WAV_HEADER_BYTES), totalBytes);
  return seconds === undefined ? { audioBytes: totalBytes } : { audioSeconds: seconds };
}

async function sizeOf(file: { size?: unknown; byteLength?: unknown; headers?: unknown; path?: unknown }) {
  if (typeof file.size === 'number' && Number.isFinite(file.size)) return file.size;
  if (typeof file.byteLength === 'number') return file.byteLength;
  if (typeof (file.headers as Headers | undefined)?.get === 'function') {
    const length = Number((file.headers as Headers).get('content-length'));
    return Number.isFinite(length) && length > 0 ? length : undefined;
  }
  if (typeof file.path === 'string' || file.path instanceof URL) {
    try {
      // Loaded only for file streams, so that adapters run where there is no file system.
      const { stat } = await import('node:fs/promises');
      return (await stat(file.path)).size;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
