import pc from 'picocolors';
import { describeError } from './describe-error';

export interface ExampleContext {
  /** Registers something to close when the example ends; the last registered is closed first. */
  onClose(close: () => unknown): void;
}

/**
 * Runs an example: prints a failure with the fields of tollgate's typed errors, sets a
 * non-zero exit code, and always closes what the example registered (emulator, stores).
 */
export function run(main: (context: ExampleContext) => Promise<void>): void {
  const closers: (() => unknown)[] = [];
  const context: ExampleContext = { onClose: (close) => closers.push(close) };
  void (async () => {
    try {
      await main(context);
    } catch (error) {
      console.error(pc.red(describeError(error)));
      process.exitCode = 1;
    } finally {
      for (const close of closers.reverse()) {
        try {
          await close();
        } catch (error) {
          console.error(pc.red(`while closing: ${describeError(error)}`));
          process.exitCode = 1;
        }
      }
    }
  })();
}
