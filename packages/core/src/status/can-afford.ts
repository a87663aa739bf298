import { estimateCall } from '../admission/estimate-call';
import { type AlertLevel, alertLevelFor } from '../alerts/alert-level';
import type { ApplicableCounter, BudgetCounters } from '../budget/budget-counters';
import { type CallContext, resolveContext } from '../budget/call-context';
import type { BudgetSettings } from '../config/budget-settings';
import { validateQuantity } from '../errors/validation';
import type { EstimateRequest } from '../estimate/estimate-cost';
import { formatUsd, type NanoUsd, usdToNano } from '../money/money';
import type { BoundedStore } from '../store/bounded-store';
import type { CounterState } from '../store/store-contract';

/** Whether a call of a given cost fits every budget that applies, and why not when it does not. */
export interface Affordability {
  readonly affordable: boolean;
  readonly reason?: string;
  readonly budgetId?: string;
  readonly alertLevel?: AlertLevel;
}

/** Whether a cost (USD, or a call's estimate) fits every budget that applies now. */
export async function canAfford(
  parts: { settings: BudgetSettings; counters: BudgetCounters; store: BoundedStore },
  cost: number | EstimateRequest,
  context: CallContext | undefined,
): Promise<Affordability> {
  const amount =
    typeof cost === 'number'
      ? usdToNano(validateQuantity(cost, 'cost'))
      : estimateCall(parts.settings, cost).costNano;
  const now = parts.settings.clock();
  const counters = parts.counters.forCall(resolveContext(context), now);
  const states = await parts.store.readCounters(
    counters.map((c) => c.limit),
    now,
  );
  return affordability(amount, counters, states);
}

/** Whether `amount` fits every counter's state by the original rules: what is available, and the per-call caps. */
function affordability(
  amount: NanoUsd,
  counters: readonly ApplicableCounter[],
  states: readonly CounterState[],
): Affordability {
  for (const [index, { budget, limit }] of counters.entries()) {
    const state = states[index]!;
    const level = alertLevelFor(state.committed, budget.limitNano, budget.thresholds);
    const available = limit.capacity - state.committed - state.reserved;
    if (amount > available) {
      return {
        affordable: false,
        budgetId: budget.id,
        alertLevel: level,
        reason: `needs ${formatUsd(amount)}, ${formatUsd(Math.max(0, available))} available`,
      };
    }
    const cap = budget.perCallCapsNano[level];
    if (cap !== undefined && amount >= cap) {
      return {
        affordable: false,
        budgetId: budget.id,
        alertLevel: level,
        reason: `at ${level} a call must cost less than ${formatUsd(cap)}`,
      };
    }
  }
  return { affordable: true };
}
