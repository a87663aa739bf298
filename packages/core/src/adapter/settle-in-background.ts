import type { AdmittedCall } from './admitted-call';

/** Hands a settlement that never rejects to the budget, so that `flushUsage()` and `close()` wait for it. */
export function settleInBackground(call: AdmittedCall, settling: Promise<void>): void {
  const { budget } = call.runtime;
  // A budget built by another copy of core may not keep background settlements.
  if (typeof budget.settleInBackground === 'function') budget.settleInBackground(settling);
}
