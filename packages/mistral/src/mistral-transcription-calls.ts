import { createUsage, type Usage } from '@tollgate/core';
import {
  type AdmittedCall,
  type CallPlan,
  judgeUsage,
  measureAudioUpload,
  type StreamObserver,
} from '@tollgate/core/adapter';
import { convertMistralUsage } from './convert-mistral-usage';
import type { MistralRuntime } from './mistral-wrap-options';

/**
 * What a transcription is billed on. Mistral bills transcriptions per audio minute, so
 * for a model priced per minute (or unknown to the catalog) only the audio seconds
 * count: the prompt and transcript tokens the response also reports are not billed.
 * A model priced per token (a custom price) is billed on its tokens.
 */
function transcriptionUsage(call: AdmittedCall, model: string, usage: Usage): Usage | undefined {
  const rates = call.runtime.budget.catalog.resolve(call.runtime.options.provider, model)?.price.rates;
  const perMinute = !rates || rates.audio !== undefined || rates.input === undefined;
  if (!perMinute) return usage.input.total + usage.output.total > 0 ? usage : undefined;
  return usage.audioSeconds > 0
    ? createUsage({ audioSeconds: usage.audioSeconds, raw: usage.raw })
    : undefined;
}

/**
 * Settles from the reported usage, else from the audio length the gate reserved (estimated); a
 * usage that cannot be trusted is settled at that estimate too, and the budget is warned.
 */
function settleTranscription(call: AdmittedCall, reported: unknown, servedModel: unknown): Promise<unknown> {
  if (reported === undefined || reported === null) return call.settleFromEstimate({ servedModel });
  const verdict = judgeUsage(reported, convertMistralUsage, call.usageLimits);
  if (verdict.usage === undefined) return call.settleVerdict(verdict, reported, 'estimate', { servedModel });
  const usage = transcriptionUsage(call, call.recordedModel(servedModel), verdict.usage);
  return usage ? call.settle(usage, { servedModel }) : call.settleFromEstimate({ servedModel });
}

/** Reads a transcription stream: the `transcription.done` event carries the usage. */
class MistralTranscriptionStreamObserver implements StreamObserver<{ data?: Record<string, unknown> }> {
  private reported: unknown;
  private servedModel: unknown;

  constructor(private readonly call: AdmittedCall) {}

  observe(event: { data?: Record<string, unknown> }): void {
    if (event?.data?.type !== 'transcription.done') return;
    this.reported = event.data.usage;
    this.servedModel = event.data.model;
  }

  finish(): Promise<unknown> {
    return settleTranscription(this.call, this.reported, this.servedModel);
  }
}

/**
 * `audio.transcriptions.complete` and `.stream`: gated on the exact duration of a WAV file,
 * else the file's size (converted by core at an assumed bitrate), else `assumedAudioSeconds`;
 * recorded from `usage.promptAudioSeconds` (the stream's `transcription.done` event).
 */
export async function planTranscription(
  request: Record<string, unknown>,
  runtime: MistralRuntime,
): Promise<CallPlan> {
  const audio = await measureAudioUpload(request.file);
  const measured = audio.audioSeconds !== undefined || audio.audioBytes !== undefined;
  return {
    gate: {
      model: request.model as string,
      service: 'stt',
      ...(measured ? audio : { audioSeconds: runtime.assumedAudioSeconds }),
    },
    downgradable: true,
    stream: (call) => new MistralTranscriptionStreamObserver(call),
    settle: (response: { usage?: unknown; model?: unknown } | undefined, call: AdmittedCall) =>
      settleTranscription(call, response?.usage, response?.model),
  };
}
