import { alertLevelFor } from '../alerts/alert-level';
import type { ApplicableCounter } from '../budget/budget-counters';
import { BudgetExceededError } from '../errors/budget-exceeded-error';
import type { NanoUsd } from '../money/money';
import type { CounterState } from '../store/store-contract';

/**
 * The original affordability rule beyond the limit: at RED a call must cost less than
 * $0.05, at CRITICAL less than $0.01 (per budget, configurable). The first budget whose
 * cap the amount reaches, with the refusal to throw.
 */
export function perCallCapViolation(
  counters: readonly ApplicableCounter[],
  states: readonly CounterState[],
  amount: NanoUsd,
): { cap: NanoUsd; error: BudgetExceededError } | undefined {
  for (let index = 0; index < counters.length; index++) {
    const { budget, limit } = counters[index]!;
    const committed = states[index]?.committed ?? 0;
    const level = alertLevelFor(committed, budget.limit, budget.thresholds);
    const cap = budget.perCallCaps[level];
    if (cap !== undefined && amount >= cap) {
      return {
        cap,
        error: new BudgetExceededError({
          budgetId: budget.id,
          scopeKey: limit.scope,
          needed: amount,
          available: cap,
          alertLevel: level,
          reason: 'per-call-cap',
        }),
      };
    }
  }
  return undefined;
}
