import { StorageUnavailableError } from '../index';
import type { AdmittedCall } from './admitted-call';

/**
 * After a failed settlement: the error goes to `report` (`onSettleError`), and the hold does not
 * wait for its lease. A call the store could not record is released (the store may still hold
 * the record of a commit it did not confirm, and a second record would count the call twice);
 * any other is settled at the gate's estimate, or released when that fails too.
 */
export async function recoverFromSettleError(
  call: AdmittedCall,
  error: unknown,
  report: (error: unknown) => void,
): Promise<void> {
  try {
    report(error);
  } catch {
    // A failing handler must not cost the caller the response.
  }
  if (!StorageUnavailableError.isInstance(error)) {
    try {
      await call.settleFromEstimate();
      return;
    } catch {
      // Released below.
    }
  }
  await call.release().catch(() => {
    // The store is down: the hold ends with its lease, the one case left.
  });
}
