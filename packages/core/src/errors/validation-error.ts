import { TollgateError } from './tollgate-error';

const marker = 'tollgate.error.validation';
const symbol = Symbol.for(marker);

/** Bad input at a public entry point. `field` names the offending field; the value is never echoed. */
export class ValidationError extends TollgateError {
  readonly [symbol] = true;
  override readonly name = 'ValidationError';
  readonly field: string;

  constructor({ field, message }: { field: string; message: string }) {
    super(`Invalid ${field}: ${message}`);
    this.field = field;
  }

  /** True for a `ValidationError` from any copy of the package, where `instanceof` would miss one. */
  static override isInstance(error: unknown): error is ValidationError {
    return TollgateError.hasMarker(error, marker);
  }
}
