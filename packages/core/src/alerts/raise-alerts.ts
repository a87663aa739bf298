import type { ApplicableCounter } from '../budget/budget-counters';
import type { NanoUsd } from '../money/money';
import type { CounterState } from '../store/store-contract';
import { type BudgetAlert, alertsCrossed } from './budget-alert';

/** Emits the alerts one commit raised, from the counter states that very commit returned. */
export function raiseAlerts(
  emit: (alert: BudgetAlert) => void,
  counters: readonly ApplicableCounter[],
  states: readonly CounterState[],
  cost: NanoUsd,
): void {
  if (cost === 0) return;
  for (let index = 0; index < counters.length; index++) {
    const { budget, limit } = counters[index]!;
    const state = states[index];
    if (!state) continue;
    for (const alert of alertsCrossed(budget, limit.scope, limit.period, state.committed, cost)) {
      try {
        emit(alert);
      } catch {
        // A failing alert listener must not turn a recorded call into an error.
      }
    }
  }
}
