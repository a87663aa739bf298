import { alertLevelFor } from '../alerts/alert-level';
import type { ApplicableCounter, BudgetCounters } from '../budget/budget-counters';
import type { CallContext } from '../budget/call-context';
import { daysRemaining } from '../budget/period';
import type { PeriodCache } from '../budget/period-cache';
import { nanoToUsd } from '../money/money';
import { projectPeriod } from '../report/projection';
import { budgetLeasesOf } from '../leases/budget-leases';
import type { LeasedStore } from '../leases/leased-store';
import type { BoundedStore } from '../store/bounded-store';
import type { CounterState } from '../store/store-contract';
import { type BudgetStatus, budgetStatusOf } from './budget-status';
import { usedShare } from './used-share';

/** The status of every budget a context touches: spend, alert level, days left, projection. */
export class BudgetStatusReader {
  private readonly store: BoundedStore;
  private readonly counters: BudgetCounters;
  private readonly periods: PeriodCache;
  private readonly clock: () => number;
  private readonly leases: LeasedStore | undefined;

  constructor(parts: {
    store: BoundedStore;
    counters: BudgetCounters;
    periods: PeriodCache;
    clock: () => number;
    leases?: LeasedStore;
  }) {
    this.leases = parts.leases;
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
    const remaining = Math.max(0, budget.limitNano - used);
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
    const { usedRatio, percentageUsed } = usedShare(used, budget.limitNano);
    const leases =
      this.leases &&
      budgetLeasesOf(limit, (await this.store.readHolds(limit, now)) ?? [], {
        instanceId: this.leases.instanceId,
        leases: this.leases.localLeases(),
      });
    return budgetStatusOf({
      budgetId: budget.id,
      scope: limit.scope,
      period: budget.period,
      periodKey: window.key,
      timeZone: budget.timeZone,
      limitUsd: nanoToUsd(budget.limitNano),
      usedUsd: nanoToUsd(used),
      remainingUsd: nanoToUsd(remaining),
      percentageUsed,
      usedRatio,
      alertLevel: alertLevelFor(used, budget.limitNano, budget.thresholds),
      daysRemaining: daysRemaining(window, budget.timeZone, new Date(now)),
      projectedUsd: nanoToUsd(projection.projectedNano),
      overBudget: used > budget.limitNano,
      reservedUsd: nanoToUsd(state.reserved),
      limitNano: budget.limitNano,
      usedNano: used,
      remainingNano: remaining,
      reservedNano: state.reserved,
      projectedNano: projection.projectedNano,
      projection,
      ...(leases && { leases }),
    });
  }
}
