import { createUsage } from '@tollgate/core';
import type { AdmittedCall, CallPlan, StreamObserver } from '@tollgate/core/adapter';
import { convertMistralUsage } from './convert-mistral-usage';

/** The id a speech request without a model is recorded under (Mistral's current speech model). */
export const DEFAULT_MISTRAL_SPEECH_MODEL = 'voxtral-mini-tts-2603';

/**
 * Settles a speech call. It is billed on the characters of its input for a model priced per
 * character (or unknown to the catalog); on the reported tokens for a model priced per token,
 * when the response reports them (only the stream's last event does), else at the estimate.
 */
function settleSpeech(call: AdmittedCall, reported: unknown, completed: boolean): Promise<unknown> {
  const rates = call.runtime.budget.catalog.resolve(call.runtime.options.provider, call.model)?.price.rates;
  const perToken = rates !== undefined && rates.character === undefined && rates.input !== undefined;
  const estimated = !completed;
  if (!perToken) {
    const { characters } = call.admission.estimate.usage;
    return call.settle(createUsage({ characters, ...(reported === undefined ? {} : { raw: reported }) }), {
      estimated,
    });
  }
  if (reported === undefined || reported === null) return call.settleFromEstimate();
  return call.settleUsage(reported, convertMistralUsage, 'estimate', { estimated });
}

/** Reads a speech stream: its `speech.audio.done` event carries the usage. */
class MistralSpeechStreamObserver implements StreamObserver<{ data?: Record<string, unknown> }> {
  private reported: unknown;
  private completed = false;

  constructor(private readonly call: AdmittedCall) {}

  observe(event: { data?: Record<string, unknown> }): void {
    if (event?.data?.type !== 'speech.audio.done') return;
    this.reported = event.data.usage;
    this.completed = true;
  }

  finish(): Promise<unknown> {
    return settleSpeech(this.call, this.reported, this.completed);
  }
}

/** `audio.speech.complete`, with or without `stream: true`. */
export function planSpeech(request: { model?: unknown; input?: unknown }): CallPlan | undefined {
  if (typeof request.input !== 'string') return undefined;
  return {
    gate: {
      model: typeof request.model === 'string' ? request.model : DEFAULT_MISTRAL_SPEECH_MODEL,
      service: 'tts',
      characters: request.input.length,
      text: [request.input],
      overheadTokens: 0,
    },
    downgradable: true,
    stream: (call) => new MistralSpeechStreamObserver(call),
    settle: (_response: unknown, call: AdmittedCall) => settleSpeech(call, undefined, true),
  };
}
