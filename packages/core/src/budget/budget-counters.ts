import type { NormalizedBudget } from '../config/budget-config';
import type { CounterCharge, CounterLimit } from '../store/store-contract';
import { type CallContext, scopesFor } from './call-context';
import type { PeriodCache } from './period-cache';

/** A budget and one of its store counters: the one for this period and scope value. */
export interface ApplicableCounter {
  budget: NormalizedBudget;
  limit: CounterLimit;
}

/** Which store counters a call, a status or a buffered commit touches. */
export class BudgetCounters {
  constructor(
    readonly budgets: readonly NormalizedBudget[],
    private readonly periods: PeriodCache,
  ) {}

  /** The counters a call in this context is charged to: one per budget and scope value it names. */
  forCall(context: CallContext, now: number): ApplicableCounter[] {
    const counters: ApplicableCounter[] = [];
    for (const budget of this.budgets) {
      const window = this.periods.window(budget.period, budget.timeZone, now);
      for (const scope of scopesFor(budget, context)) {
        counters.push({
          budget,
          limit: {
            budgetId: budget.id,
            scope,
            period: window.key,
            capacity: budget.limit - budget.buffer,
            periodEnd: window.end ? window.end.getTime() : Number.MAX_SAFE_INTEGER,
          },
        });
      }
    }
    return counters;
  }

  /** The call's counters, and budgets pinned to a scope value: they report even without a matching context. */
  forStatus(context: CallContext, now: number): ApplicableCounter[] {
    const counters = this.forCall(context, now);
    for (const budget of this.budgets) {
      if (budget.scopeValue === undefined || counters.some((c) => c.budget === budget)) continue;
      const window = this.periods.window(budget.period, budget.timeZone, now);
      counters.push({
        budget,
        limit: {
          budgetId: budget.id,
          scope: `${budget.scope}:${budget.scopeValue}`,
          period: window.key,
          capacity: budget.limit - budget.buffer,
          periodEnd: window.end ? window.end.getTime() : Number.MAX_SAFE_INTEGER,
        },
      });
    }
    return counters;
  }

  /** The counters a commit charged (a buffered one, written later), for its alerts. */
  ofCharges(charges: readonly CounterCharge[]): ApplicableCounter[] {
    const counters: ApplicableCounter[] = [];
    for (const charge of charges) {
      const budget = this.budgets.find((candidate) => candidate.id === charge.budgetId);
      if (budget)
        counters.push({ budget, limit: { ...charge, capacity: budget.limit - budget.buffer, periodEnd: 0 } });
    }
    return counters;
  }
}
