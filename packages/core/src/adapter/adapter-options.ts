import {
  type BudgetManager,
  type CallContext,
  contextWithDefaults,
  optionKeys,
  rejectUnknownKeys,
  suggestionFor,
  TollgateWarning,
  ValidationError,
  validateId,
} from '../index';

/** The options every adapter takes; an adapter adds its own beside them. */
export interface AdapterOptions {
  /** The provider whose prices apply and that records name. */
  provider?: string;
  /** The report dimension for every call of this client (`chat`, `summarize`…); `budget.withContext()` values win over it. */
  requestType?: string;
  /** Context for every call of this client; `budget.withContext()` values win over it, tags and attributes are merged. */
  context?: CallContext;
  /** When the worst case does not fit: refuse (`throw`, the default) or shrink the output limit (`clamp`). */
  onInsufficientBudget?: 'clamp' | 'throw';
  /** Ask the budget's cost strategy (`budget.downgradeFor`) for a cheaper model of the same provider before a call. */
  downgrade?: boolean;
  /** The smallest output limit a clamp may leave; below it the call is refused. Default: the budget's. */
  minOutputTokens?: number;
  /**
   * When a call is settled (priced and written to the store): before the caller has the
   * response (`inline`, the default), or behind it (`background`): the response returns as soon
   * as it arrives and the settlement runs after it. The call's hold stays until then, so the
   * budget is never overspent; what status and reports show lags by the settlements still
   * running. `budget.flushUsage()` and `budget.close()` wait for them. A settlement error goes to
   * `onSettleError`, as a stream's does.
   */
  settle?: 'inline' | 'background';
  /**
   * Receives an error from a settlement that no caller can receive: a stream's (its events
   * were delivered, the caller's stream is left intact) or a raw response's. Default: the
   * budget's warnings (`onWarning`, code `TOLLGATE_SETTLE`, every time), or a process warning.
   */
  onSettleError?: (error: unknown) => void;
}

/** The options checked once, when the client is wrapped, so that a typo fails at start-up rather than on the first call. */
export interface ResolvedAdapterOptions {
  readonly provider: string;
  /** The static context with the request type, or undefined when there is none. */
  readonly context: CallContext | undefined;
  readonly onInsufficientBudget: 'clamp' | 'throw';
  readonly downgrade: boolean;
  readonly minOutputTokens: number | undefined;
  /** Whether a call's result waits for its settlement (`inline`) or not (`background`). */
  readonly settle: 'inline' | 'background';
  /** The app's `onSettleError`, or the default that reports through the budget's warnings. */
  readonly onSettleError: (error: unknown) => void;
}

/** What an adapter says about itself: the provider it defaults to, its name in warnings, its options. */
export interface AdapterDefaults {
  readonly provider: string;
  readonly label: string;
  /** The keys of the adapter's own options beside the common ones (`estimateWith`): any other key is refused. */
  readonly ownOptions?: readonly string[];
  /** Common options this adapter does not take (`downgrade`): refused, and left out of the known options an error lists. */
  readonly withoutOptions?: readonly string[];
}

/** The options every adapter takes. */
export const ADAPTER_OPTION_KEYS = optionKeys<AdapterOptions>({
  provider: true,
  requestType: true,
  context: true,
  onInsufficientBudget: true,
  downgrade: true,
  minOutputTokens: true,
  settle: true,
  onSettleError: true,
});

/**
 * Checks the options every adapter takes. `budget` (checked with `checkBudget`) receives the
 * settlement errors no caller can receive when the app sets no `onSettleError`.
 */
export function resolveAdapterOptions(
  options: unknown,
  defaults: AdapterDefaults,
  budget?: BudgetManager,
): ResolvedAdapterOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new ValidationError({ field: 'options', message: 'must be an object' });
  const prototype = Object.getPrototypeOf(options);
  if (prototype !== Object.prototype && prototype !== null)
    throw new ValidationError({
      field: 'options',
      message: `must be a plain object of options ({ requestType: 'chat' }), got an object of class ${String(prototype?.constructor?.name).slice(0, 64)}`,
    });
  rejectUnknownKeys(options, optionKeysOf(defaults), 'options');
  const given = options as AdapterOptions;
  const provider = validateId(
    given.provider === undefined ? defaults.provider : given.provider,
    'options.provider',
  );
  if (given.requestType !== undefined) validateId(given.requestType, 'options.requestType', { key: true });
  if (given.context !== undefined) {
    if (given.context === null || typeof given.context !== 'object' || Array.isArray(given.context))
      throw new ValidationError({ field: 'options.context', message: 'must be an object' });
    // Its ids reach every record of this client: checked now, not on the first call.
    contextWithDefaults(given.context);
  }
  if (given.downgrade !== undefined && typeof given.downgrade !== 'boolean')
    throw new ValidationError({ field: 'options.downgrade', message: 'must be true or false' });
  if (given.onSettleError !== undefined && typeof given.onSettleError !== 'function')
    throw new ValidationError({ field: 'options.onSettleError', message: 'must be a function' });
  const context =
    given.context === undefined && given.requestType === undefined
      ? undefined
      : { ...given.context, ...(given.requestType === undefined ? {} : { requestType: given.requestType }) };
  return {
    provider,
    context,
    onInsufficientBudget: optionOneOf(given.onInsufficientBudget, 'onInsufficientBudget', ['throw', 'clamp']),
    downgrade: given.downgrade === true,
    minOutputTokens:
      given.minOutputTokens === undefined
        ? undefined
        : optionPositiveInteger(given.minOutputTokens, 'minOutputTokens'),
    settle: optionOneOf(given.settle, 'settle', ['inline', 'background']),
    onSettleError: given.onSettleError ?? warnSettleError(defaults.label, budget),
  };
}

/** The keys an adapter takes: the common ones it does not leave out, and its own. */
function optionKeysOf(defaults: AdapterDefaults): readonly string[] {
  const { ownOptions = [], withoutOptions = [] } = defaults;
  if (ownOptions.length === 0 && withoutOptions.length === 0) return ADAPTER_OPTION_KEYS;
  return [...ADAPTER_OPTION_KEYS.filter((key) => !withoutOptions.includes(key)), ...ownOptions];
}

/** An option that takes one of a few words; the first is the default. */
export function optionOneOf<T extends string>(
  value: unknown,
  name: string,
  allowed: readonly [T, ...T[]],
): T {
  if (value === undefined) return allowed[0];
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  const suggestion = typeof value === 'string' ? suggestionFor(value, allowed) : '';
  throw new ValidationError({
    field: `options.${name}`,
    message: `must be one of ${allowed.join(', ')}${suggestion}`,
  });
}

/** An option that is a positive whole number. */
export function optionPositiveInteger(value: unknown, name: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1)
    throw new ValidationError({ field: `options.${name}`, message: 'must be a positive whole number' });
  return value as number;
}

function warnSettleError(label: string, budget: BudgetManager | undefined): (error: unknown) => void {
  return (error) => {
    // The error's name and message only: they never hold prompt text or keys.
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    // A strict budget throws its warnings, after the record is written: the call was recorded.
    const warning = TollgateWarning.isInstance(error)
      ? `tollgate recorded a ${label} call, then raised ${error.code} (a strict budget throws it): ${message}`
      : `tollgate could not settle a ${label} call: ${name}: ${message}`;
    // A budget built by another copy of core may have no channel: the process warning then.
    if (typeof budget?.warnings?.report === 'function') {
      budget.warnings.report('TOLLGATE_SETTLE', label, warning, error);
    } else if (typeof process !== 'undefined' && typeof process.emitWarning === 'function') {
      process.emitWarning(warning, { code: 'TOLLGATE_SETTLE' });
    } else {
      console.warn(warning);
    }
  };
}
