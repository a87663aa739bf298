import type { Stream } from 'openai/core/streaming';
import type {
  TranscriptionCreateParams,
  TranscriptionStreamEvent,
} from 'openai/resources/audio/transcriptions';
import { convertOpenAITranscriptionUsage, type OpenAITranscriptionUsageFields } from './convert-openai-usage';
import { observeStream, type OpenAIStreamObserver } from './openai-budgeted-stream';
import type { OpenAICallAccounting } from './openai-call-accounting';
import type { OpenAIEndpoint, OpenAIWrapState } from './openai-endpoint';

/**
 * The size in bytes of an upload, when it can be known without reading it: a
 * `File`/`Blob` (`toFile()` results too), a `Response` with a content length, a
 * `fs.ReadStream` (its file is stat'ed).
 */
export async function uploadSize(file: unknown): Promise<number | undefined> {
  if (!file || typeof file !== 'object') return undefined;
  const candidate = file as {
    size?: unknown;
    byteLength?: unknown;
    headers?: { get?: unknown };
    path?: unknown;
  };
  if (typeof candidate.size === 'number' && Number.isFinite(candidate.size)) return candidate.size;
  if (typeof candidate.byteLength === 'number') return candidate.byteLength;
  if (candidate.headers && typeof candidate.headers.get === 'function') {
    const length = Number((candidate.headers as Headers).get('content-length'));
    return Number.isFinite(length) && length > 0 ? length : undefined;
  }
  if (typeof candidate.path === 'string' || candidate.path instanceof URL) {
    try {
      // Loaded only for file streams, so that the package runs where there is no file system.
      const { stat } = await import('node:fs/promises');
      return (await stat(candidate.path)).size;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

interface TranscriptionResult {
  usage?: OpenAITranscriptionUsageFields | null;
  duration?: number;
}

/** Watches a transcription stream (gpt-4o-transcribe and later): `transcript.text.done` carries the usage. */
export class OpenAITranscriptionStreamObserver implements OpenAIStreamObserver<TranscriptionStreamEvent> {
  private readonly output: string[] = [];
  private deltas = 0;
  private usage: OpenAITranscriptionUsageFields | undefined;

  constructor(private readonly accounting: OpenAICallAccounting) {}

  get complete(): boolean {
    return this.usage !== undefined;
  }

  observe(event: TranscriptionStreamEvent): boolean {
    if (event.type === 'transcript.text.delta' && typeof event.delta === 'string') {
      this.output.push(event.delta);
      this.deltas += 1;
    } else if (event.type === 'transcript.text.done' && event.usage) {
      this.usage = event.usage as OpenAITranscriptionUsageFields;
    }
    return true;
  }

  finish(): Promise<unknown> {
    const usage = convertOpenAITranscriptionUsage(this.usage);
    if (usage) return this.accounting.settle(usage);
    return this.accounting.settleFromOutput({ text: this.output.join(''), minimumTokens: this.deltas });
  }
}

/**
 * `audio.transcriptions.create`. Gated on the audio's size (its duration is not
 * known before the call); settled from `usage` (`duration` seconds or `tokens`), a
 * `verbose_json` `duration`, the stream's final usage, or, for plain-text formats
 * that carry no usage, the gate's estimate (marked estimated).
 */
export const audioTranscriptionsEndpoint: OpenAIEndpoint = async (
  body: TranscriptionCreateParams,
  state: OpenAIWrapState,
) => {
  const bytes = await uploadSize(body.file);
  const streaming = (body as { stream?: unknown }).stream === true;
  return {
    gate: {
      model: String(body.model),
      service: 'stt',
      ...(bytes === undefined ? {} : { audioBytes: bytes }),
      ...(typeof body.prompt === 'string' && body.prompt.length > 0 ? { text: body.prompt } : {}),
    },
    bodyFor: () => body,
    async finish(result: unknown, accounting: OpenAICallAccounting) {
      if (streaming) {
        const observer = new OpenAITranscriptionStreamObserver(accounting);
        return observeStream(result as Stream<TranscriptionStreamEvent>, observer, state.reportError);
      }
      const transcription = (
        typeof result === 'object' && result !== null ? result : {}
      ) as TranscriptionResult;
      const usage = convertOpenAITranscriptionUsage(transcription.usage, transcription.duration);
      if (usage) await accounting.settle(usage);
      else await accounting.settleFromEstimate(true);
      return result;
    },
  };
};
