import type { CounterKey } from '../store/store-contract';

// Ids cannot hold control characters: this separator cannot be part of one.
const SEPARATOR = '\u0001';

/** The gate passes the same limit and charge objects call after call: each one's id is built once. */
const counterIds = new WeakMap<CounterKey, string>();

/** One counter as a map key. */
export function counterIdOf(key: CounterKey): string {
  let id = counterIds.get(key);
  if (id === undefined) {
    id = `${key.budgetId}${SEPARATOR}${key.scope}${SEPARATOR}${key.period}`;
    counterIds.set(key, id);
  }
  return id;
}

/** The counters of a call as a map key: a lease holds all of them. */
export function counterSetOf(counters: readonly CounterKey[]): string {
  if (counters.length === 1) return counterIdOf(counters[0]!);
  return counters.map(counterIdOf).join(SEPARATOR + SEPARATOR);
}

/** Just the key of a counter limit or charge. */
export function keyOf(counter: CounterKey): CounterKey {
  return { budgetId: counter.budgetId, scope: counter.scope, period: counter.period };
}

/** Adds to a sum kept by key, dropping the key when it comes back to 0. */
export function addTo(map: Map<string, number>, key: string, amount: number): void {
  const sum = (map.get(key) ?? 0) + amount;
  if (sum === 0) map.delete(key);
  else map.set(key, sum);
}
