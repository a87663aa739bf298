import { alertLevelFor } from '../alerts/alert-level';
import type { ApplicableCounter, BudgetCounters } from '../budget/budget-counters';
import type { CallContext } from '../budget/call-context';
import { daysRemaining } from '../budget/period';
import type { PeriodCache } from '../budget/period-cache';
import { nanoToUsd } from '../money/money';
import { projectPeriod } from '../report/projection';
import type { BoundedStore } from '../store/bounded-store';
import type { CounterState } from '../store/store-contract';
import type { BudgetStatus } from './budget-status';

/** The status of every budget a context touches: spend, alert level, days left, projection. */
export class BudgetStatusReader {
  private readonly store: BoundedStore;
  private readonly counters: BudgetCounters;
  private readonly periods: PeriodCache;
  private readonly clock: () => number;

  constructor(parts: {
    store: BoundedStore;
    counters: BudgetCounters;
    periods: PeriodCache;
    clock: () => number;
  }) {
    this.store = parts.store;
    this.counters = parts.counters;
    this.periods = parts.periods;
    this.clock = parts.clock;
  }

  async status(context: CallContext): Promise<BudgetStatus[]> {
    const now = this.clock();
    const counters = this.counters.forStatus(context, now);
    const states = await this.store.readCounters(
      counters.map((c) => c.limit),
      now,
    );
    return Promise.all(counters.map((counter, index) => this.statusOf(counter, states[index]!, now)));
  }

  /** One counter's status from its state as the store returned it. */
  async statusOf(counter: ApplicableCounter, state: CounterState, now: number): Promise<BudgetStatus> {
    const { budget, limit } = counter;
    const window = this.periods.window(budget.period, budget.timeZone, now);
    const used = state.committed;
    const remaining = Math.max(0, budget.limit - used);
    const dailySpend =
      budget.period === 'day' || budget.period === 'total'
        ? []
        : await this.store.readDailySpend({
            budgetId: budget.id,
            scope: limit.scope,
            fromDay: this.periods.day(budget.timeZone, window.start.getTime()),
            toDay: this.periods.day(budget.timeZone, now),
          });
    const projection = projectPeriod({
      period: budget.period,
      window,
      timeZone: budget.timeZone,
      now: new Date(now),
      used,
      dailySpend,
    });
    return {
      budgetId: budget.id,
      scope: limit.scope,
      period: budget.period,
      periodKey: window.key,
      timeZone: budget.timeZone,
      total: nanoToUsd(budget.limit),
      used: nanoToUsd(used),
      remaining: nanoToUsd(remaining),
      percentageUsed: budget.limit > 0 ? (used / budget.limit) * 100 : used > 0 ? 100 : 0,
      alertLevel: alertLevelFor(used, budget.limit, budget.thresholds),
      daysRemaining: daysRemaining(window, budget.timeZone, new Date(now)),
      projectedCost: nanoToUsd(projection.projected),
      overBudget: used > budget.limit,
      reserved: nanoToUsd(state.reserved),
      projection,
      nano: {
        limit: budget.limit,
        used,
        remaining,
        reserved: state.reserved,
        projected: projection.projected,
      },
    };
  }
}
