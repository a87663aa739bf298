import { alertLevelFor } from '../alerts/alert-level';
import type { ApplicableCounter } from '../budget/budget-counters';
import { BudgetExceededError } from '../errors/budget-exceeded-error';
import type { NanoUsd } from '../money/money';
import type { CounterState } from '../store/store-contract';

/**
 * The original affordability rule beyond the limit: at RED a call must cost less than
 * $0.05, at CRITICAL less than $0.01 (per budget, configurable). The first budget whose
 * cap the amount reaches, with the refusal to throw. `states` are the counters right after
 * this call's reservation was taken (they include it).
 */
export function perCallCapViolation(
  counters: readonly ApplicableCounter[],
  states: readonly CounterState[],
  amount: NanoUsd,
): { cap: NanoUsd; error: BudgetExceededError } | undefined {
  for (let index = 0; index < counters.length; index++) {
    const { budget, limit } = counters[index]!;
    const state = states[index];
    const committed = state?.committed ?? 0;
    const level = alertLevelFor(committed, budget.limitNano, budget.thresholds);
    const cap = budget.perCallCapsNano[level];
    if (cap !== undefined && amount >= cap) {
      // What the counter could take for this call: its own hold is given back before the refusal.
      const heldByOthers = Math.max(0, (state?.reserved ?? amount) - amount);
      return {
        cap,
        error: new BudgetExceededError({
          budgetId: budget.id,
          scopeKey: limit.scope,
          neededNano: amount,
          availableNano: limit.capacity - committed - heldByOthers,
          alertLevel: level,
          reason: 'per-call-cap',
          perCallCapNano: cap,
        }),
      };
    }
  }
  return undefined;
}
