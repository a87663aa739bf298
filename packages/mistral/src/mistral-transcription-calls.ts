import { type Admission, createUsage, type SettleInput, type Usage } from '@tollgate/core';
import { convertMistralUsage } from './convert-mistral-usage';
import { measureMistralAudio } from './mistral-audio-input';
import type { MistralBudgetGate } from './mistral-budget-gate';
import { tapEventStream } from './mistral-event-stream-tap';

type SdkMethod = (request: any, options?: any) => Promise<any>;

/**
 * Gates a transcription on its audio: the exact duration of a WAV file, else the
 * file's size (converted by core at an assumed bitrate), else `assumedAudioSeconds`.
 */
async function admitTranscription(gate: MistralBudgetGate, request: Record<string, unknown>) {
  const audio = await measureMistralAudio(request.file);
  const measured = audio.audioSeconds !== undefined || audio.audioBytes !== undefined;
  return gate.admit({
    model: request.model as string,
    service: 'stt',
    ...(measured ? audio : { audioSeconds: gate.options.assumedAudioSeconds }),
  });
}

/**
 * What a transcription is billed on. Mistral bills transcriptions per audio minute, so
 * for a model priced per minute (or unknown to the catalog) only the audio seconds
 * count: the prompt and transcript tokens the response also reports are not billed.
 * A model priced per token (a custom price) is billed on its tokens.
 */
function transcriptionUsage(gate: MistralBudgetGate, model: string, reported: unknown): Usage | undefined {
  const usage = convertMistralUsage(reported);
  if (!usage) return undefined;
  const rates = gate.budget.catalog.resolve(gate.provider, model)?.price.rates;
  const perMinute = !rates || rates.audio !== undefined || rates.input === undefined;
  if (!perMinute) return usage.input.total + usage.output.total > 0 ? usage : undefined;
  return usage.audioSeconds > 0
    ? createUsage({ audioSeconds: usage.audioSeconds, raw: usage.raw })
    : undefined;
}

function settleInputOf(
  gate: MistralBudgetGate,
  admission: Admission,
  model: string,
  reported: unknown,
  servedModel: unknown,
): SettleInput {
  const recorded = gate.servedModel(servedModel, model);
  const usage = transcriptionUsage(gate, recorded, reported);
  if (usage) return { model: recorded, usage };
  return { model: recorded, usage: admission.estimate.usage, estimated: true };
}

/** Any request object is gated: a model that is not a string is then the gate's ValidationError, never an ungated call. */
function isGateable(request: unknown): request is Record<string, unknown> {
  return typeof request === 'object' && request !== null;
}

/** `audio.transcriptions.complete`: recorded from `usage.promptAudioSeconds`. */
export function meterTranscription(gate: MistralBudgetGate, original: SdkMethod): SdkMethod {
  return async (request, requestOptions) => {
    if (!isGateable(request)) return original(request, requestOptions);
    const { model, admission } = await admitTranscription(gate, request);
    const sent = model === request.model ? request : { ...request, model };
    return gate.run(
      admission,
      () => original(sent, requestOptions),
      (response) => settleInputOf(gate, admission, model, response?.usage, response?.model),
    );
  };
}

/** `audio.transcriptions.stream`: recorded from the `transcription.done` event, estimated from the audio without it. */
export function meterTranscriptionStream(gate: MistralBudgetGate, original: SdkMethod): SdkMethod {
  return async (request, requestOptions) => {
    if (!isGateable(request)) return original(request, requestOptions);
    const { model, admission } = await admitTranscription(gate, request);
    const sent = model === request.model ? request : { ...request, model };
    const stream = await gate.call(admission, () => original(sent, requestOptions));
    let reported: unknown;
    let servedModel: unknown;
    return tapEventStream(stream, {
      onEvent(event: { data?: Record<string, unknown> }) {
        const data = event?.data;
        if (data?.type !== 'transcription.done') return;
        reported = data.usage;
        servedModel = data.model;
      },
      onFinish() {
        return gate.settleStream(admission, settleInputOf(gate, admission, model, reported, servedModel));
      },
    });
  };
}
