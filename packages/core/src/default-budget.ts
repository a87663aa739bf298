import type { Affordability, RecordUsageInput } from './budget/budget-manager';
import { BudgetManager } from './budget/budget-manager';
import type { BudgetStatus } from './status/budget-status';
import type { CallContext } from './budget/call-context';
import type { SettledCall } from './settlement/settled-call';
import { ValidationError } from './errors/validation-error';
import type { Estimate, EstimateRequest } from './estimate/estimate-cost';

let defaultBudget: BudgetManager | undefined;

/** Sets the budget the module-level functions use. */
export function setDefaultBudget(budget: BudgetManager): void {
  // Duck-typed, so that a budget from another copy of the package is accepted too.
  const methods = ['status', 'canAfford', 'recordUsage', 'estimate'] as const;
  if (
    budget === null ||
    typeof budget !== 'object' ||
    !methods.every((method) => typeof (budget as Partial<BudgetManager>)[method] === 'function')
  )
    throw new ValidationError({ field: 'budget', message: 'must be a budget made by createBudget' });
  defaultBudget = budget;
}

/** The budget the module-level functions use: the one set, else a $30-a-month budget in memory. */
export function getDefaultBudget(): BudgetManager {
  defaultBudget ??= new BudgetManager();
  return defaultBudget;
}

/** The default budget's status, per budget that applies in `context`. */
export function getBudgetStatus(context?: CallContext): Promise<BudgetStatus[]> {
  return getDefaultBudget().status(context);
}

/** Whether the default budget can afford a cost in USD (or an estimated call). */
export function canAfford(cost: number | EstimateRequest, context?: CallContext): Promise<Affordability> {
  return getDefaultBudget().canAfford(cost, context);
}

/** Records a call's usage on the default budget. */
export function recordUsage(input: RecordUsageInput): Promise<SettledCall> {
  return getDefaultBudget().recordUsage(input);
}

/** Estimates a call's cost with the default budget's catalog. */
export function estimateCost(request: EstimateRequest): Estimate {
  return getDefaultBudget().estimate(request);
}

/** Records usage and reports success as a boolean; never throws (the original `track_usage`). */
export async function trackUsage(input: RecordUsageInput): Promise<boolean> {
  try {
    await getDefaultBudget().recordUsage(input);
    return true;
  } catch {
    return false;
  }
}
