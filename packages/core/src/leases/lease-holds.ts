import { type NanoUsd, nanoToUsd } from '../money/money';
import type { BudgetStore, CounterKey, HoldState } from '../store/store-contract';
import { keyOf } from './counter-ids';
import { instanceOfLease } from './quota-lease';

/** One instance's leases on a budget's counter. */
export interface InstanceLeases {
  readonly instanceId: string;
  readonly leases: number;
  readonly heldUsd: number;
  readonly heldNano: NanoUsd;
}

/** What the quota leases among a counter's holds hold, in all and per instance (by instance id). */
export function leaseHoldsOf(holds: readonly HoldState[]): {
  heldNano: NanoUsd;
  byInstance: InstanceLeases[];
} {
  const byInstance = new Map<string, { leases: number; heldNano: NanoUsd }>();
  let heldNano = 0;
  for (const hold of holds) {
    const instanceId = instanceOfLease(hold.reservationId);
    if (instanceId === undefined) continue;
    const held = byInstance.get(instanceId) ?? { leases: 0, heldNano: 0 };
    held.leases++;
    held.heldNano += hold.amount;
    heldNano += hold.amount;
    byInstance.set(instanceId, held);
  }
  return {
    heldNano,
    byInstance: [...byInstance]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([instanceId, held]) => ({
        instanceId,
        leases: held.leases,
        heldUsd: nanoToUsd(held.heldNano),
        heldNano: held.heldNano,
      })),
  };
}

/** The instances holding leases on a call's counters, `instanceId` included (1 when the store cannot list holds). */
export async function instancesLeasing(
  store: BudgetStore,
  instanceId: string,
  counters: readonly CounterKey[],
  now: number,
): Promise<number> {
  if (!store.readHolds) return 1;
  const holds = await Promise.all(counters.map((counter) => store.readHolds!(keyOf(counter), now)));
  let most = 1;
  for (const onCounter of holds) {
    const instances = new Set([instanceId]);
    for (const hold of onCounter) {
      const instance = instanceOfLease(hold.reservationId);
      if (instance !== undefined) instances.add(instance);
    }
    most = Math.max(most, instances.size);
  }
  return most;
}
