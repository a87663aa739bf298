import {
  type AdapterRuntime,
  type AdmittedCall,
  type CallPlan,
  measureAudioUpload,
  type PlannedGate,
  readUsageBlock,
  type StreamEnding,
  type StreamObserver,
  StreamedOutput,
  type UsageConverter,
} from '@tollgate/core/adapter';
import type {
  TranscriptionCreateParams,
  TranscriptionStreamEvent,
} from 'openai/resources/audio/transcriptions';
import { pricedModelOf } from './azure-deployments';
import { convertOpenAITranscriptionUsage, type OpenAITranscriptionUsageFields } from './convert-openai-usage';

interface TranscriptionResult {
  usage?: OpenAITranscriptionUsageFields | null;
  duration?: number;
}

/** The usage of a transcription (its `verbose_json` duration when it has none), as a converter for the kit. */
function transcriptionConverter(durationSeconds: number | undefined): UsageConverter {
  return (block, limits) =>
    convertOpenAITranscriptionUsage(block, durationSeconds, limits) ??
    readUsageBlock(block, limits, () => ({}));
}

const convertStreamedUsage = transcriptionConverter(undefined);

/** Watches a transcription stream (gpt-4o-transcribe and later): `transcript.text.done` carries the usage. */
export class OpenAITranscriptionStreamObserver implements StreamObserver<TranscriptionStreamEvent> {
  private readonly output: StreamedOutput;
  ended = false;

  constructor(call: AdmittedCall) {
    this.output = new StreamedOutput(call);
  }

  observe(event: TranscriptionStreamEvent): boolean {
    if (event.type === 'transcript.text.delta') this.output.add(event.delta);
    else if (event.type === 'transcript.text.done' && event.usage !== undefined && event.usage !== null) {
      this.output.report(event.usage, convertStreamedUsage);
      this.ended = true;
    }
    return true;
  }

  finish(ending: StreamEnding): Promise<unknown> {
    return this.output.settle(ending);
  }
}

/**
 * `audio.transcriptions.create`. Gated on the audio's duration when the upload is a WAV
 * file, else on its size; settled from `usage` (`duration` seconds or `tokens`), a
 * `verbose_json` `duration`, the stream's final usage, or, for plain-text formats
 * that carry no usage, the gate's estimate (marked estimated).
 */
export async function planTranscription(
  body: TranscriptionCreateParams,
  runtime: AdapterRuntime,
): Promise<CallPlan> {
  const gate: PlannedGate = {
    model: pricedModelOf(runtime, body.model),
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
      const { usage, duration } = transcription;
      // Plain-text formats carry no usage and no duration: the estimate, as expected.
      if (
        (usage === undefined || usage === null) &&
        convertOpenAITranscriptionUsage(undefined, duration) === undefined
      )
        return call.settleFromEstimate();
      return call.settleUsage(usage, transcriptionConverter(duration), 'estimate');
    },
  };
}
