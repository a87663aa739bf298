import { type NanoUsd, nanoToUsd } from '../money/money';
import type { CounterKey, HoldState } from '../store/store-contract';
import { type InstanceLeases, leaseHoldsOf } from './lease-holds';
import type { LocalLease } from './quota-lease';

/** A budget's quota leases, in its status when calls lease (`createBudget({ leases })`). */
export interface BudgetLeases {
  /** Held by the leases of every instance (part of `reservedUsd`) until their calls are written and they are given back. */
  readonly heldUsd: number;
  readonly heldNano: NanoUsd;
  /** What this instance's leases still have free: neither spent nor held by its calls in flight. */
  readonly unspentUsd: number;
  readonly unspentNano: NanoUsd;
  /** This instance's id in its leases. */
  readonly instanceId: string;
  /** Each instance holding a lease on this counter, by instance id (empty when the store cannot list holds). */
  readonly byInstance: readonly InstanceLeases[];
}

/** The leases on one counter: every instance's from the holds the store lists on it, this instance's free amount from its own. */
export function budgetLeasesOf(
  key: CounterKey,
  holds: readonly HoldState[],
  local: { readonly instanceId: string; readonly leases: readonly LocalLease[] },
): BudgetLeases {
  const { heldNano, byInstance } = leaseHoldsOf(holds);
  let unspentNano = 0;
  for (const lease of local.leases)
    if (lease.counters.some((counter) => sameCounter(counter, key))) unspentNano += Math.max(0, lease.free);
  return {
    heldUsd: nanoToUsd(heldNano),
    heldNano,
    unspentUsd: nanoToUsd(unspentNano),
    unspentNano,
    instanceId: local.instanceId,
    byInstance,
  };
}

function sameCounter(a: CounterKey, b: CounterKey): boolean {
  return a.budgetId === b.budgetId && a.scope === b.scope && a.period === b.period;
}
