import { type Emulator, startEmulator } from '@tollgate/emulator';
import type { ExampleContext } from './run';

let started: Promise<Emulator> | undefined;

/** The local emulator of the three providers' APIs, started once per process and closed with the example. */
export function offlineEmulator(context: ExampleContext): Promise<Emulator> {
  if (!started) {
    started = startEmulator();
    context.onClose(async () => (await started)?.close());
  }
  return started;
}
