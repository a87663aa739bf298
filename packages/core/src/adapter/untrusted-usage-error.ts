import { TollgateError } from '../index';

const marker = 'tollgate.error.untrusted-usage';
const symbol = Symbol.for(marker);

/**
 * A provider's usage block that tollgate does not trust (see `readUsageBlock`): missing, not
 * an object, a count that is not a whole, finite, non-negative number, a part above its total,
 * or a count beyond the model's context window. `reason` names the fields, never their values;
 * the block itself is `block`, for audit.
 */
export class UntrustedUsageError extends TollgateError {
  readonly [symbol] = true;
  override readonly name = 'UntrustedUsageError';
  /** What is wrong with the block: `completion_tokens is a string`, `cached_tokens above prompt_tokens`… */
  readonly reason: string;
  /** The block as the provider sent it. */
  readonly block: unknown;

  constructor(reason: string, block: unknown) {
    super(`Untrusted usage: ${reason}`);
    this.reason = reason;
    this.block = block;
  }

  static override isInstance(error: unknown): error is UntrustedUsageError {
    return TollgateError.hasMarker(error, marker);
  }
}
