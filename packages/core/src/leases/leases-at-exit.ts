import type { LeasedStore } from './leased-store';

/** What a budget with leases hooks on the process's end; `detach` once the budget is closed. */
export interface LeasesAtExit {
  detach(): void;
}

/**
 * A budget with leases holds budget in the store and records waiting to be written: a script
 * that ends without `close()` would leave both until its leases pass. When the process runs out
 * of work (`beforeExit`: not on a crash, a signal or `process.exit()`), the budget closes
 * itself. `process.exit()` skips that: without a spill file (`leases.path`) the records not
 * written are then lost, and said so on stderr.
 */
export function hookLeasesAtExit(
  close: () => Promise<void>,
  leasedStore: LeasedStore,
  keepsFile: boolean,
): LeasesAtExit | undefined {
  if (typeof process === 'undefined' || typeof process.once !== 'function') return undefined;
  const closeBeforeExit = () => void close().catch(() => {});
  const sayUnwritten = () => sayUnwrittenAtExit(leasedStore.pendingRecords);
  process.once('beforeExit', closeBeforeExit);
  if (!keepsFile) process.once('exit', sayUnwritten);
  return {
    detach() {
      process.removeListener('beforeExit', closeBeforeExit);
      process.removeListener('exit', sayUnwritten);
    },
  };
}

/** Written synchronously: at `exit` nothing asynchronous runs any more, a warning event included. */
function sayUnwrittenAtExit(records: number): void {
  if (records === 0) return;
  process.stderr.write(
    `tollgate: ${records} ${records === 1 ? 'record' : 'records'} of calls admitted from quota leases ` +
      'were not written: the process exited before budget.close() (process.exit() skips it). ' +
      'Await budget.close() before exiting, or set leases.path to keep them in a file for the next start.\n',
  );
}
