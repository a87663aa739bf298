import { type CallContext, contextWithDefaults, ValidationError, validateId } from '@tollgate/core';

export interface WrapAnthropicOptions {
  /** The provider id used for prices and records. Default `anthropic`. */
  provider?: string;
  /** Report dimension for every call of this client (`chat`, `summarize`…); `budget.withContext` overrides it. */
  requestType?: string;
  /** Context for every call of this client (project, tags…); `budget.withContext` values override it. */
  context?: CallContext;
  /** When the worst case does not fit: refuse (`throw`, the default) or shrink `max_tokens` (`clamp`). */
  onInsufficientBudget?: 'clamp' | 'throw';
  /** Ask the budget's cost strategy for a cheaper Anthropic model when the alert level calls for it. */
  downgrade?: boolean;
  /** The smallest `max_tokens` a clamp may leave; below it the call is refused. Default: the budget's (16). */
  minOutputTokens?: number;
  /**
   * How the prompt is counted before the call: `local` (default) is a conservative
   * offline count; `countTokens` asks the free `messages.countTokens` endpoint for the
   * exact count, and falls back to the local count when that call fails.
   */
  estimateWith?: 'local' | 'countTokens';
}

export interface ResolvedAnthropicOptions {
  readonly provider: string;
  readonly requestType: string | undefined;
  readonly context: CallContext | undefined;
  readonly onInsufficientBudget: 'clamp' | 'throw';
  readonly downgrade: boolean;
  readonly minOutputTokens: number | undefined;
  readonly estimateWith: 'local' | 'countTokens';
}

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ValidationError({ field: `options.${field}`, message: `must be one of ${allowed.join(', ')}` });
}

export function resolveAnthropicOptions(options: WrapAnthropicOptions = {}): ResolvedAnthropicOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValidationError({ field: 'options', message: 'must be an object' });
  }
  const { provider = 'anthropic', requestType, context, minOutputTokens, downgrade } = options;
  validateId(provider, 'options.provider');
  if (requestType !== undefined) validateId(requestType, 'options.requestType', { key: true });
  if (context !== undefined && (context === null || typeof context !== 'object' || Array.isArray(context))) {
    throw new ValidationError({ field: 'options.context', message: 'must be an object' });
  }
  // Its ids reach every record of this client: checked now, not on the first call.
  if (context !== undefined) contextWithDefaults(context);
  if (minOutputTokens !== undefined && (!Number.isSafeInteger(minOutputTokens) || minOutputTokens < 1)) {
    throw new ValidationError({
      field: 'options.minOutputTokens',
      message: 'must be a positive whole number',
    });
  }
  if (downgrade !== undefined && typeof downgrade !== 'boolean') {
    throw new ValidationError({ field: 'options.downgrade', message: 'must be true or false' });
  }
  return {
    provider,
    requestType,
    context,
    onInsufficientBudget: oneOf(
      options.onInsufficientBudget,
      'onInsufficientBudget',
      ['clamp', 'throw'],
      'throw',
    ),
    downgrade: downgrade === true,
    minOutputTokens,
    estimateWith: oneOf(options.estimateWith, 'estimateWith', ['local', 'countTokens'], 'local'),
  };
}

/** The context of one call: the client's static context and request type under `budget.withContext`. */
export function callContextFor(options: ResolvedAnthropicOptions): CallContext | undefined {
  if (options.context === undefined && options.requestType === undefined) return undefined;
  return contextWithDefaults({
    ...options.context,
    ...(options.requestType === undefined ? {} : { requestType: options.requestType }),
  });
}
