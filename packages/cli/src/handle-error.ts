import { StorageUnavailableError, TollgateError, ValidationError } from '@tollgate/core';
import { CommanderError } from 'commander';
import { CliError, EXIT_CODES, type ExitCode } from './cli-error';
import type { CliIo } from './cli-io';
import { describeError } from './store/describe-error';

/**
 * Turns any failure into one line on stderr and an exit code. Expected failures never
 * print a stack; an unexpected one prints its stack only with TOLLGATE_DEBUG=1.
 */
export function handleError(error: unknown, io: CliIo): ExitCode {
  if (error instanceof CommanderError) {
    // Commander has printed its message; help and --version end well, anything else is a usage error.
    return error.exitCode === 0 && error.code !== 'commander.help' ? EXIT_CODES.ok : EXIT_CODES.usage;
  }
  if (error instanceof CliError) {
    io.stderr.write(`tollgate: ${error.message}\n`);
    return error.exitCode;
  }
  if (ValidationError.isInstance(error)) {
    io.stderr.write(`tollgate: ${error.message}\n`);
    return EXIT_CODES.usage;
  }
  if (StorageUnavailableError.isInstance(error)) {
    io.stderr.write(`tollgate: ${describeError(error)}\n`);
    return EXIT_CODES.store;
  }
  if (TollgateError.isInstance(error)) {
    io.stderr.write(`tollgate: ${describeError(error)}\n`);
    return EXIT_CODES.failure;
  }
  io.stderr.write(`tollgate: unexpected error: ${describeError(error)}\n`);
  if (io.env.TOLLGATE_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  else io.stderr.write('(set TOLLGATE_DEBUG=1 to see where it happened)\n');
  return EXIT_CODES.failure;
}
