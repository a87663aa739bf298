import { type CallContext, contextWithDefaults, ValidationError, validateId } from '@tollgate/core';

export interface WrapMistralOptions {
  /** Provider id used for prices and records. Default `mistral`. */
  provider?: string;
  /** Report dimension for every call of this client (`chat`, `summarize`…); `budget.withContext` wins over it. */
  requestType?: string;
  /** Static context for every call of this client; values set by `budget.withContext` win over it. */
  context?: CallContext;
  /**
   * When the worst case does not fit the budget: refuse with `BudgetExceededError`
   * (`throw`, the default), or shrink `maxTokens` of chat and FIM calls to what fits (`clamp`).
   */
  onInsufficientBudget?: 'clamp' | 'throw';
  /** Ask the budget's cost strategy for a cheaper model of the same provider before each call. */
  downgrade?: boolean;
  /** The smallest `maxTokens` a clamp may leave; below it the call is refused. Default: the budget's. */
  minOutputTokens?: number;
  /** Audio length reserved for a transcription whose length and size are unknown (`fileUrl`, `fileId`, a stream). Default 600 s. */
  assumedAudioSeconds?: number;
  /** Pages reserved for an OCR call on a document whose page count is unknown. Default 20. */
  assumedPages?: number;
  /**
   * Called when recording a streamed call fails (the budget store is down) after its
   * events were delivered: the caller's stream is left intact. Default: a process
   * warning. Non-streamed calls throw the error instead.
   */
  onSettleError?: (error: unknown) => void;
}

export interface ResolvedWrapOptions {
  readonly provider: string;
  readonly context: CallContext;
  readonly onInsufficientBudget: 'clamp' | 'throw';
  readonly downgrade: boolean;
  readonly minOutputTokens: number | undefined;
  readonly assumedAudioSeconds: number;
  readonly assumedPages: number;
  readonly onSettleError: (error: unknown) => void;
}

const DEFAULT_ASSUMED_AUDIO_SECONDS = 600;
const DEFAULT_ASSUMED_PAGES = 20;

/** Checks the options once, when the client is wrapped, so a typo fails at start-up rather than on the first call. */
export function resolveWrapOptions(options: WrapMistralOptions = {}): ResolvedWrapOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new ValidationError({ field: 'options', message: 'must be an object' });
  const onInsufficientBudget =
    options.onInsufficientBudget === undefined ? 'throw' : options.onInsufficientBudget;
  if (onInsufficientBudget !== 'throw' && onInsufficientBudget !== 'clamp') {
    throw new ValidationError({
      field: 'options.onInsufficientBudget',
      message: 'must be one of throw, clamp',
    });
  }
  if (options.onSettleError !== undefined && typeof options.onSettleError !== 'function') {
    throw new ValidationError({ field: 'options.onSettleError', message: 'must be a function' });
  }
  // The context's ids reach every record of this client: checked now, not spread blindly.
  if (options.context !== undefined) contextWithDefaults(options.context);
  if (options.downgrade !== undefined && typeof options.downgrade !== 'boolean')
    throw new ValidationError({ field: 'options.downgrade', message: 'must be true or false' });
  return {
    provider: validateId(options.provider === undefined ? 'mistral' : options.provider, 'options.provider'),
    context: {
      ...options.context,
      ...(options.requestType === undefined
        ? {}
        : { requestType: validateId(options.requestType, 'options.requestType', { key: true }) }),
    },
    onInsufficientBudget,
    downgrade: options.downgrade === true,
    minOutputTokens:
      options.minOutputTokens === undefined
        ? undefined
        : positiveInteger(options.minOutputTokens, 'options.minOutputTokens'),
    // Only a missing option takes its default: null is checked like any other value.
    assumedAudioSeconds: positive(
      options.assumedAudioSeconds === undefined ? DEFAULT_ASSUMED_AUDIO_SECONDS : options.assumedAudioSeconds,
      'options.assumedAudioSeconds',
    ),
    assumedPages: positiveInteger(
      options.assumedPages === undefined ? DEFAULT_ASSUMED_PAGES : options.assumedPages,
      'options.assumedPages',
    ),
    onSettleError: options.onSettleError ?? warnSettleError,
  };
}

/** Core's estimate takes at most this many seconds of audio; a larger assumption could never be gated. */
const MAX_AUDIO_SECONDS = 1e7;

function positive(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_AUDIO_SECONDS) {
    throw new ValidationError({ field, message: `must be a positive number up to ${MAX_AUDIO_SECONDS}` });
  }
  return value;
}

function positiveInteger(value: unknown, field: string): number {
  if (!Number.isSafeInteger(value) || (value as number) <= 0)
    throw new ValidationError({ field, message: 'must be a positive whole number' });
  return value as number;
}

function warnSettleError(error: unknown): void {
  // Only the error's name and message: they never hold prompt text or keys.
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(`tollgate could not record a streamed Mistral call: ${name}: ${message}`, {
    code: 'TOLLGATE_SETTLE_FAILED',
  });
}
