import { formatUsd, type NanoUsd } from '../money/money';
import type { AlertLevel } from '../alerts/alert-level';
import { TollgateError } from './tollgate-error';

const marker = 'tollgate.error.budget-exceeded';
const symbol = Symbol.for(marker);

export type BudgetRefusalReason = 'insufficient-remaining' | 'per-call-cap' | 'over-budget';

/** The gate refused a call: the budget cannot afford it. Amounts are nano-USD. */
export class BudgetExceededError extends TollgateError {
  readonly [symbol] = true;
  override readonly name = 'BudgetExceededError';
  readonly budgetId: string;
  readonly scopeKey: string;
  readonly needed: NanoUsd;
  readonly available: NanoUsd;
  readonly alertLevel: AlertLevel;
  readonly reason: BudgetRefusalReason;

  constructor(details: {
    budgetId: string;
    scopeKey: string;
    needed: NanoUsd;
    available: NanoUsd;
    alertLevel: AlertLevel;
    reason: BudgetRefusalReason;
  }) {
    super(BudgetExceededError.describe(details));
    this.budgetId = details.budgetId;
    this.scopeKey = details.scopeKey;
    this.needed = details.needed;
    this.available = details.available;
    this.alertLevel = details.alertLevel;
    this.reason = details.reason;
  }

  private static describe(details: {
    budgetId: string;
    needed: NanoUsd;
    available: NanoUsd;
    alertLevel: AlertLevel;
    reason: BudgetRefusalReason;
  }): string {
    const head = `Budget "${details.budgetId}" (${details.alertLevel})`;
    if (details.reason === 'per-call-cap') {
      return `${head} refused a call costing up to ${formatUsd(details.needed)}: at this alert level a call may cost at most ${formatUsd(details.available)}.`;
    }
    return `${head} refused a call costing up to ${formatUsd(details.needed)}: only ${formatUsd(Math.max(0, details.available))} is available.`;
  }

  static override isInstance(error: unknown): error is BudgetExceededError {
    return TollgateError.hasMarker(error, marker);
  }
}
