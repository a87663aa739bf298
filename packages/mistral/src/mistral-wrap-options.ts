import { ValidationError } from '@tollgate/core';
import {
  type AdapterOptions,
  type AdapterRuntime,
  checkBudget,
  optionPositiveInteger,
  resolveAdapterOptions,
} from '@tollgate/core/adapter';

/** The options of `wrapMistral`: the options every adapter takes, and what is reserved when a size is unknown. */
export interface WrapMistralOptions extends AdapterOptions {
  /** Provider id used for prices and records. Default `mistral`. */
  provider?: string;
  /** Audio length reserved for a transcription whose length and size are unknown (`fileUrl`, `fileId`, a stream). Default 600 s. */
  assumedAudioSeconds?: number;
  /** Pages reserved for an OCR call on a document whose page count is unknown. Default 20. */
  assumedPages?: number;
}

/** The budget and options one wrapped client works with. */
export interface MistralRuntime extends AdapterRuntime {
  readonly assumedAudioSeconds: number;
  readonly assumedPages: number;
}

const DEFAULT_ASSUMED_AUDIO_SECONDS = 600;
const DEFAULT_ASSUMED_PAGES = 20;
/** Core's estimate takes at most this many seconds of audio; a larger assumption could never be gated. */
const MAX_AUDIO_SECONDS = 1e7;

/** Checks the budget and the options once, when the client is wrapped, so a typo fails at start-up rather than on the first call. */
export function mistralRuntime(budget: unknown, options: WrapMistralOptions): MistralRuntime {
  const checkedBudget = checkBudget(budget);
  const resolved = resolveAdapterOptions(
    options,
    { provider: 'mistral', label: 'Mistral', ownOptions: ['assumedAudioSeconds', 'assumedPages'] },
    checkedBudget,
  );
  const { assumedAudioSeconds = DEFAULT_ASSUMED_AUDIO_SECONDS, assumedPages = DEFAULT_ASSUMED_PAGES } =
    options;
  if (
    typeof assumedAudioSeconds !== 'number' ||
    !Number.isFinite(assumedAudioSeconds) ||
    assumedAudioSeconds <= 0 ||
    assumedAudioSeconds > MAX_AUDIO_SECONDS
  ) {
    throw new ValidationError({
      field: 'options.assumedAudioSeconds',
      message: `must be a positive number up to ${MAX_AUDIO_SECONDS}`,
    });
  }
  return {
    budget: checkedBudget,
    options: resolved,
    assumedAudioSeconds,
    assumedPages: optionPositiveInteger(assumedPages, 'assumedPages'),
  };
}
