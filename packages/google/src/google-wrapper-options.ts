import type { AdapterOptions, AdapterRuntime, EstimateWith, PromptCounting } from '@tollgate/core/adapter';

/** The options of `wrapGoogleGenAI`: the options every adapter takes, and how the prompt is counted. */
export interface WrapGoogleGenAIOptions extends AdapterOptions {
  /** The provider id used for prices and records. Default `google` (the bundled price data's id for the Gemini API). */
  provider?: string;
  /**
   * How the prompt is held before the call. `auto` (default): the conservative local bound
   * while it fits comfortably; when the bound would be refused, clamped or stopped by a per-call
   * cap, the exact count of the free `models.countTokens` endpoint, and the gate decides again
   * (one extra round trip, near the limit only). `bound`: always the local bound. `countTokens`:
   * the exact count before every call. A count that fails or times out leaves the bound.
   */
  estimateWith?: EstimateWith;
  /** How long `models.countTokens` may take before the bound stands. Default 2,000 ms. */
  countTimeoutMs?: number;
}

/** The budget and options one wrapped client works with. */
export interface GoogleRuntime extends AdapterRuntime {
  readonly promptCounting: PromptCounting;
}
