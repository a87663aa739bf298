import { suggestionFor, ValidationError, warnRenamedOptionValue } from '../index';
import { optionPositiveInteger } from './adapter-options';

/**
 * How a prompt the gate cannot count exactly offline is held, for a provider with a free
 * token-counting endpoint (Anthropic, Gemini):
 * - `auto`: the local upper bound while it fits comfortably; when the bound would be refused,
 *   clamped or stopped by a per-call cap, the endpoint's exact count, and the gate decides again;
 * - `bound`: always the local upper bound, never a round trip;
 * - `countTokens`: the endpoint's exact count before every call.
 * A count that fails or times out leaves the bound.
 */
export type EstimateWith = 'auto' | 'bound' | 'countTokens';

/** The prompt-counting options an adapter with a counting endpoint takes beside the common ones. */
export interface PromptCountingOptions {
  /** Default `auto`. `local`, the former name of `bound`, still works for one more minor version. */
  estimateWith?: EstimateWith | 'local';
  /** How long the counting endpoint may take before the bound stands. Default 2,000 ms. */
  countTimeoutMs?: number;
}

/** The prompt-counting options, checked. */
export interface PromptCounting {
  readonly estimateWith: EstimateWith;
  readonly countTimeoutMs: number;
}

/** Two seconds: a count takes one short round trip; a slower one is not worth waiting for. */
export const DEFAULT_COUNT_TIMEOUT_MS = 2_000;

/** The keys of `PromptCountingOptions`, for `resolveAdapterOptions`' `ownOptions`. */
export const PROMPT_COUNTING_OPTION_KEYS = ['estimateWith', 'countTimeoutMs'] as const;

const ESTIMATE_WITH: readonly EstimateWith[] = ['auto', 'bound', 'countTokens'];

/** Checks the prompt-counting options when the client is wrapped. */
export function resolvePromptCounting(options: PromptCountingOptions): PromptCounting {
  return {
    estimateWith: estimateWithOf(options.estimateWith),
    countTimeoutMs:
      options.countTimeoutMs === undefined
        ? DEFAULT_COUNT_TIMEOUT_MS
        : optionPositiveInteger(options.countTimeoutMs, 'countTimeoutMs'),
  };
}

function estimateWithOf(value: unknown): EstimateWith {
  if (value === undefined) return 'auto';
  if (value === 'local') {
    warnRenamedOptionValue('options.estimateWith', 'local', 'bound');
    return 'bound';
  }
  if (typeof value === 'string' && (ESTIMATE_WITH as readonly string[]).includes(value))
    return value as EstimateWith;
  throw new ValidationError({
    field: 'options.estimateWith',
    message: `must be one of ${ESTIMATE_WITH.join(', ')}${typeof value === 'string' ? suggestionFor(value, ESTIMATE_WITH) : ''}`,
  });
}
