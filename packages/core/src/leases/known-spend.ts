import type { NanoUsd } from '../money/money';
import type { CounterCharge, CounterKey, CounterState } from '../store/store-contract';
import { addTo, counterIdOf } from './counter-ids';

/**
 * What an instance that admits calls from leases knows of each counter's committed spend: what
 * the store said when it last asked, plus what its own calls cost since, written or waiting to be.
 * Alerts and per-call caps read it for calls the store never sees one by one.
 */
export class KnownSpend {
  /** What the records waiting to be written charge each counter, by counter id. */
  private readonly waiting = new Map<string, NanoUsd>();
  private readonly committed = new Map<string, NanoUsd>();

  /** The store's states, as read: never lowers what is known (its answer may predate records written since). */
  learn(states: readonly CounterState[]): void {
    for (const state of states) {
      const id = counterIdOf(state);
      const known = state.committed + (this.waiting.get(id) ?? 0);
      if (known > (this.committed.get(id) ?? 0)) this.committed.set(id, known);
    }
  }

  /** A call's record waits to be written: its cost counts from now. The counters' states after it. */
  waits(charges: readonly CounterCharge[], cost: NanoUsd): CounterState[] {
    for (const charge of charges) {
      const id = counterIdOf(charge);
      addTo(this.waiting, id, cost);
      addTo(this.committed, id, cost);
    }
    return this.statesOf(charges);
  }

  /** A waiting record was written: the store counts it now. */
  written(charges: readonly CounterKey[], cost: NanoUsd): void {
    for (const charge of charges) addTo(this.waiting, counterIdOf(charge), -cost);
  }

  /** The store's states with the records still waiting added to `committed`. */
  withWaiting(states: readonly CounterState[]): CounterState[] {
    return states.map((state) => {
      const waiting = this.waiting.get(counterIdOf(state)) ?? 0;
      return waiting === 0 ? state : { ...state, committed: state.committed + waiting };
    });
  }

  statesOf(keys: readonly CounterKey[]): CounterState[] {
    return keys.map((key) => ({
      budgetId: key.budgetId,
      scope: key.scope,
      period: key.period,
      committed: this.committed.get(counterIdOf(key)) ?? 0,
      reserved: 0,
    }));
  }
}
