import {
  type AdmittedCall,
  type CallPlan,
  measureAudioUpload,
  type PlannedGate,
  type StreamObserver,
  StreamedOutput,
} from '@tollgate/core/adapter';
import type {
  TranscriptionCreateParams,
  TranscriptionStreamEvent,
} from 'openai/resources/audio/transcriptions';
import { convertOpenAITranscriptionUsage, type OpenAITranscriptionUsageFields } from './convert-openai-usage';

interface TranscriptionResult {
  usage?: OpenAITranscriptionUsageFields | null;
  duration?: number;
}

/** Watches a transcription stream (gpt-4o-transcribe and later): `transcript.text.done` carries the usage. */
export class OpenAITranscriptionStreamObserver implements StreamObserver<TranscriptionStreamEvent> {
  private readonly output: StreamedOutput;
  ended = false;

  constructor(call: AdmittedCall) {
    this.output = new StreamedOutput(call);
  }

  observe(event: TranscriptionStreamEvent): boolean {
    if (event.type === 'transcript.text.delta') this.output.add(event.delta);
    else if (event.type === 'transcript.text.done' && event.usage) {
      this.output.usage = convertOpenAITranscriptionUsage(event.usage as OpenAITranscriptionUsageFields);
      this.ended = true;
    }
    return true;
  }

  finish(): Promise<unknown> {
    return this.output.settle();
  }
}

/**
 * `audio.transcriptions.create`. Gated on the audio's duration when the upload is a WAV
 * file, else on its size; settled from `usage` (`duration` seconds or `tokens`), a
 * `verbose_json` `duration`, the stream's final usage, or, for plain-text formats
 * that carry no usage, the gate's estimate (marked estimated).
 */
export async function planTranscription(body: TranscriptionCreateParams): Promise<CallPlan> {
  const gate: PlannedGate = {
    model: String(body.model),
    service: 'stt',
    ...(await measureAudioUpload(body.file)),
    ...(typeof body.prompt === 'string' && body.prompt.length > 0 ? { text: body.prompt } : {}),
  };
  return {
    gate,
    stream: (call) => new OpenAITranscriptionStreamObserver(call),
    settle(result: unknown, call: AdmittedCall) {
      const transcription = (
        typeof result === 'object' && result !== null ? result : {}
      ) as TranscriptionResult;
      const usage = convertOpenAITranscriptionUsage(transcription.usage, transcription.duration);
      return usage ? call.settle(usage) : call.settleFromEstimate();
    },
  };
}
