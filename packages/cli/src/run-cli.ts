import type { CliIo } from './cli-io';
import { handleError } from './handle-error';
import { createProgram } from './program';

/** Runs the command line `argv` (without `node` and the script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await createProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    return handleError(error, io);
  }
}
