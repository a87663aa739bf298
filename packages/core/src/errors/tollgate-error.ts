const marker = 'tollgate.error';
const symbol = Symbol.for(marker);

/**
 * Base of every error tollgate throws. `isInstance` works across duplicated copies
 * of the package (the marker is a global symbol), where `instanceof` would not.
 */
export class TollgateError extends Error {
  readonly [symbol] = true;
  override readonly name: string = 'TollgateError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  /** True for a `TollgateError` from any copy of the package, where `instanceof` would miss one. */
  static isInstance(error: unknown): error is TollgateError {
    return TollgateError.hasMarker(error, marker);
  }

  /** Whether `error` carries the global marker symbol named `markerName`. */
  protected static hasMarker(error: unknown, markerName: string): boolean {
    return (
      error != null &&
      typeof error === 'object' &&
      Symbol.for(markerName) in error &&
      (error as Record<symbol, unknown>)[Symbol.for(markerName)] === true
    );
  }
}
