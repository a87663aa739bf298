import type { BudgetAlert } from '../alerts/budget-alert';
import { raiseAlerts } from '../alerts/raise-alerts';
import type { BudgetCounters } from '../budget/budget-counters';
import type { BoundedStore } from '../store/bounded-store';
import { UsageBuffer, type UsageBufferOptions } from './usage-buffer';

/**
 * The budget's usage buffer: commits the store could not take wait here and are written when it
 * answers again, each bounded like a gated call (so a hanging store cannot hang `flushUsage()` or
 * `close()`), raising the alerts its write crossed. None when the budget has `usageBuffer: false`.
 */
export function alertingUsageBuffer(
  store: BoundedStore,
  options: UsageBufferOptions | false,
  counters: BudgetCounters,
  emitAlert: (alert: BudgetAlert) => void,
): UsageBuffer | undefined {
  if (options === false) return undefined;
  return new UsageBuffer(
    { commit: (request) => store.commit(request) },
    options,
    (request, recorded, result) => {
      if (recorded && result)
        raiseAlerts(emitAlert, counters.ofCharges(request.counters), result.counters, request.record.cost);
    },
  );
}
