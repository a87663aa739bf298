import type { SeededCall } from './seed-history';

/** The exact nano-USD sum of the calls that pass `filter`, summed independently of the store. */
export function sumCost(
  calls: readonly SeededCall[],
  filter: (call: SeededCall) => boolean = () => true,
): number {
  return calls.filter(filter).reduce((total, call) => total + call.cost, 0);
}

/** Cost and request count per value of `key`. */
export function groupCalls(
  calls: readonly SeededCall[],
  key: (call: SeededCall) => string,
): Map<string, { cost: number; requests: number }> {
  const groups = new Map<string, { cost: number; requests: number }>();
  for (const call of calls) {
    const group = groups.get(key(call)) ?? { cost: 0, requests: 0 };
    group.cost += call.cost;
    group.requests += 1;
    groups.set(key(call), group);
  }
  return groups;
}

export function inDays(fromDay: string, toDay: string): (call: SeededCall) => boolean {
  return (call) => call.day >= fromDay && call.day <= toDay;
}
