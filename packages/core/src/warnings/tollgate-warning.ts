import { TollgateError } from '../errors/tollgate-error';

const marker = 'tollgate.error.warning';
const symbol = Symbol.for(marker);

/** The codes of the warnings tollgate raises. */
export const WARNING_CODES = [
  /** A call lacks the context (user, project, tag…) a scoped budget needs: that budget was skipped. */
  'TOLLGATE_MISSING_CONTEXT',
  /** The catalog has no price for the model: the call was charged at a fallback price. */
  'TOLLGATE_UNPRICED_MODEL',
  /** The catalog does not know the provider. */
  'TOLLGATE_UNKNOWN_PROVIDER',
  /** The provider's usage block could not be trusted: the record was rebuilt from local counts. */
  'TOLLGATE_UNTRUSTED_USAGE',
  /**
   * A call came back with a response id another call's record already has (a server whose ids
   * repeat, such as one restarted): it was recorded under its own request id instead.
   */
  'TOLLGATE_DUPLICATE_RESPONSE_ID',
  /**
   * A settlement failed where no caller could receive the error (a stream's, after its events
   * were delivered; a raw response's). Reported every time, never thrown, even when strict.
   */
  'TOLLGATE_SETTLE',
  /**
   * A budget new to the store, or given another period or scope, could not be given the spend
   * recorded earlier in its current period (a budget per user or project, a store without
   * `seedCounter`): it counts from its first call. Reported once per process, never thrown.
   */
  'TOLLGATE_UNCOUNTED_SPEND',
  /**
   * Price data from `prices.update` was not used (the fetch failed or timed out, or the data or
   * the cache file failed its checks), or the cache file could not be written: the prices in use
   * stay. Reported every time, never thrown, even when strict.
   */
  'TOLLGATE_PRICE_UPDATE',
] as const;
/** One of `WARNING_CODES`. */
export type WarningCode = (typeof WARNING_CODES)[number];

/**
 * Something tollgate did that the app most likely did not mean, reported once per subject
 * (budget, model, provider) through `onWarning`, or thrown when the budget is `strict`.
 */
export class TollgateWarning extends TollgateError {
  readonly [symbol] = true;
  override readonly name = 'TollgateWarning';
  readonly code: WarningCode;
  /** What the warning is about: a budget id, a model, a provider or an adapter. */
  readonly subject: string;

  constructor({
    code,
    subject,
    message,
    cause,
  }: { code: WarningCode; subject: string; message: string; cause?: unknown }) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.subject = subject;
  }

  static override isInstance(error: unknown): error is TollgateWarning {
    return TollgateError.hasMarker(error, marker);
  }
}
