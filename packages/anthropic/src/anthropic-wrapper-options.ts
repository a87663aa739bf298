import type { AdapterOptions, AdapterRuntime } from '@tollgate/core/adapter';

/** The options of `wrapAnthropic`: the options every adapter takes, but `onSettleError`, and how the prompt is counted. */
export interface WrapAnthropicOptions extends Omit<AdapterOptions, 'onSettleError'> {
  /** The provider id used for prices and records. Default `anthropic`. */
  provider?: string;
  /**
   * How the prompt is counted before the call: `local` (default) is a conservative
   * offline count; `countTokens` asks the free `messages.countTokens` endpoint for the
   * exact count, and falls back to the local count when that call fails.
   */
  estimateWith?: 'local' | 'countTokens';
}

/** The budget and options one wrapped client works with. */
export interface AnthropicRuntime extends AdapterRuntime {
  readonly estimateWith: 'local' | 'countTokens';
}
