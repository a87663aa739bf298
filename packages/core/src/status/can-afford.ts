import { type AlertLevel, alertLevelFor } from '../alerts/alert-level';
import type { ApplicableCounter } from '../budget/budget-counters';
import { type NanoUsd, nanoToUsd } from '../money/money';
import type { CounterState } from '../store/store-contract';

export interface Affordability {
  readonly affordable: boolean;
  readonly reason?: string;
  readonly budgetId?: string;
  readonly alertLevel?: AlertLevel;
}

/** Whether `amount` fits every counter's state by the original rules: what is available, and the per-call caps. */
export function affordability(
  amount: NanoUsd,
  counters: readonly ApplicableCounter[],
  states: readonly CounterState[],
): Affordability {
  for (const [index, { budget, limit }] of counters.entries()) {
    const state = states[index]!;
    const level = alertLevelFor(state.committed, budget.limit, budget.thresholds);
    const available = limit.capacity - state.committed - state.reserved;
    if (amount > available) {
      return {
        affordable: false,
        budgetId: budget.id,
        alertLevel: level,
        reason: `needs ${nanoToUsd(amount)} USD, ${nanoToUsd(Math.max(0, available))} USD available`,
      };
    }
    const cap = budget.perCallCaps[level];
    if (cap !== undefined && amount >= cap) {
      return {
        affordable: false,
        budgetId: budget.id,
        alertLevel: level,
        reason: `at ${level} a call must cost less than ${nanoToUsd(cap)} USD`,
      };
    }
  }
  return { affordable: true };
}
