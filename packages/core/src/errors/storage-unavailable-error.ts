import { TollgateError } from './tollgate-error';

const marker = 'tollgate.error.storage-unavailable';
const symbol = Symbol.for(marker);

/** The store could not be reached in time; the gate fails closed. */
export class StorageUnavailableError extends TollgateError {
  readonly [symbol] = true;
  override readonly name = 'StorageUnavailableError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  /** True for a `StorageUnavailableError` from any copy of the package, where `instanceof` would miss one. */
  static override isInstance(error: unknown): error is StorageUnavailableError {
    return TollgateError.hasMarker(error, marker);
  }
}
