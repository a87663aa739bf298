/** Exit codes of the `tollgate` command. */
export const EXIT_CODES = {
  ok: 0,
  /** An unexpected failure (a bug, or something tollgate did not foresee). */
  failure: 1,
  /** Bad arguments, options or configuration. */
  usage: 2,
  /** The store could not be opened or read. */
  store: 3,
  /** `prices --update`: the price data could not be fetched, was refused, or its cache file not written. */
  prices: 4,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** An expected failure: printed as one line, never with a stack. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: ExitCode;

  constructor(message: string, exitCode: ExitCode, options?: { cause?: unknown }) {
    super(message, options);
    this.exitCode = exitCode;
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, EXIT_CODES.usage);
}
