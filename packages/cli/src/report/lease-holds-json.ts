import { type BudgetManager, type InstanceLeases, leaseHoldsOf, nanoToUsd } from '@tollgate/core';
import type { StatusJson } from './status-json';

/** What the quota leases of app instances hold on a budget (part of its reserved amount). */
export interface LeaseHoldsJson {
  readonly heldUsd: number;
  readonly heldNano: number;
  /** By instance id. */
  readonly byInstance: readonly InstanceLeases[];
}

/**
 * The statuses with `leases` added where instances hold quota leases on the counter, read from
 * the store's holds (one read per counter with something reserved; none when the store cannot
 * list holds).
 */
export async function withLeaseHolds(
  budget: BudgetManager,
  statuses: readonly StatusJson[],
): Promise<StatusJson[]> {
  const { store } = budget;
  if (!store.readHolds) return [...statuses];
  const now = budget.now();
  return Promise.all(
    statuses.map(async (status) => {
      if (status.reservedNano === 0) return status;
      const holds = await store.readHolds!(
        { budgetId: status.budgetId, scope: status.scope, period: status.periodKey },
        now,
      );
      const { heldNano, byInstance } = leaseHoldsOf(holds);
      return heldNano === 0
        ? status
        : { ...status, leases: { heldUsd: nanoToUsd(heldNano), heldNano, byInstance } };
    }),
  );
}
