import { type Admission, createUsage, type SettleInput } from '@tollgate/core';
import { convertMistralUsage } from './convert-mistral-usage';
import type { MistralBudgetGate } from './mistral-budget-gate';
import { tapEventStream } from './mistral-event-stream-tap';

type SdkMethod = (request: any, options?: any) => Promise<any>;

/** The id a speech request without a model is recorded under (Mistral's current speech model). */
export const DEFAULT_MISTRAL_SPEECH_MODEL = 'voxtral-mini-tts-2603';

/**
 * What a speech call is billed on: the characters of its input for a model priced per
 * character (or unknown to the catalog); the reported tokens for a model priced per
 * token, when the response reports them (only the stream's last event does).
 */
function speechSettleInput(
  gate: MistralBudgetGate,
  admission: Admission,
  model: string,
  characters: number,
  reported: unknown,
): SettleInput {
  const rates = gate.budget.catalog.resolve(gate.provider, model)?.price.rates;
  const perToken = rates !== undefined && rates.character === undefined && rates.input !== undefined;
  if (!perToken)
    return {
      model,
      usage: createUsage({ characters, ...(reported === undefined ? {} : { raw: reported }) }),
    };
  const usage = convertMistralUsage(reported);
  return usage ? { model, usage } : { model, usage: admission.estimate.usage, estimated: true };
}

/** `audio.speech.complete`, with or without `stream: true`. */
export function meterSpeech(gate: MistralBudgetGate, original: SdkMethod): SdkMethod {
  return async (request, requestOptions) => {
    if (typeof request !== 'object' || request === null || typeof request.input !== 'string') {
      return original(request, requestOptions);
    }
    const requested = typeof request.model === 'string' ? request.model : DEFAULT_MISTRAL_SPEECH_MODEL;
    const characters = request.input.length;
    const { model, admission } = await gate.admit({
      model: requested,
      service: 'tts',
      characters,
      prompt: { texts: [request.input], overheadTokens: 0 },
    });
    const sent = model === requested ? request : { ...request, model };
    const response = await gate.call(admission, () => original(sent, requestOptions));
    if (!(response instanceof ReadableStream)) {
      await admission.settle(speechSettleInput(gate, admission, model, characters, undefined));
      return response;
    }
    let reported: unknown;
    let completed = false;
    return tapEventStream(response, {
      onEvent(event: { data?: Record<string, unknown> }) {
        if (event?.data?.type !== 'speech.audio.done') return;
        reported = event.data.usage;
        completed = true;
      },
      onFinish() {
        const input = speechSettleInput(gate, admission, model, characters, reported);
        return gate.settleStream(admission, completed ? input : { ...input, estimated: true });
      },
    });
  };
}
