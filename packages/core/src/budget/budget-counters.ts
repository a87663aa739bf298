import type { NormalizedBudget } from '../config/budget-config';
import type { CounterCharge, CounterLimit } from '../store/store-contract';
import { type CallContext, scopesFor } from './call-context';
import type { PeriodCache } from './period-cache';

/** A budget and one of its store counters: the one for this period and scope value. */
export interface ApplicableCounter {
  readonly budget: NormalizedBudget;
  readonly limit: CounterLimit;
  /** The last charge made to this counter (one per day), reused by the calls of that day. */
  lastCharge?: CounterCharge;
}

/** A budget's current period, with the counters of the scope values calls named in it. */
interface CurrentPeriod {
  readonly start: number;
  readonly end: number;
  readonly key: string;
  readonly periodEnd: number;
  readonly counters: Map<string, ApplicableCounter>;
}

/** Scope values (users, projects, tags) whose counters are kept for reuse, per budget and period. */
const MAX_REUSED_SCOPES = 10_000;

/**
 * Which store counters a call, a status or a buffered commit touches. The counters of
 * the current period are made once and reused by every call in it: a call's gate and
 * settle then build no keys or limits of their own.
 */
export class BudgetCounters {
  private readonly current: (CurrentPeriod | undefined)[] = [];

  constructor(
    readonly budgets: readonly NormalizedBudget[],
    private readonly periods: PeriodCache,
  ) {}

  /** The counters a call in this context is charged to: one per budget and scope value it names. */
  forCall(context: CallContext, now: number): ApplicableCounter[] {
    const counters: ApplicableCounter[] = [];
    for (let index = 0; index < this.budgets.length; index++) {
      const budget = this.budgets[index]!;
      const period = this.currentPeriod(index, now);
      if (budget.scope === 'global') counters.push(counterIn(period, budget, 'global'));
      else for (const scope of scopesFor(budget, context)) counters.push(counterIn(period, budget, scope));
    }
    return counters;
  }

  /** The call's counters, and budgets pinned to a scope value: they report even without a matching context. */
  forStatus(context: CallContext, now: number): ApplicableCounter[] {
    const counters = this.forCall(context, now);
    for (let index = 0; index < this.budgets.length; index++) {
      const budget = this.budgets[index]!;
      if (budget.scopeValue === undefined || counters.some((c) => c.budget === budget)) continue;
      counters.push(
        counterIn(this.currentPeriod(index, now), budget, `${budget.scope}:${budget.scopeValue}`),
      );
    }
    return counters;
  }

  /** The counter of the budget at `index` for one scope value (`user:u-42`) in its current period. */
  forScope(index: number, scope: string, now: number): ApplicableCounter {
    return counterIn(this.currentPeriod(index, now), this.budgets[index]!, scope);
  }

  /** The key of the current period of the budget at `index` (`month:2026-11`). */
  periodKey(index: number, now: number): string {
    return this.currentPeriod(index, now).key;
  }

  /** The counters a commit charged (a buffered one, written later), for its alerts. */
  ofCharges(charges: readonly CounterCharge[]): ApplicableCounter[] {
    const counters: ApplicableCounter[] = [];
    for (const charge of charges) {
      const budget = this.budgets.find((candidate) => candidate.id === charge.budgetId);
      if (budget)
        counters.push({
          budget,
          limit: { ...charge, capacity: budget.limitNano - budget.bufferNano, periodEnd: 0 },
        });
    }
    return counters;
  }

  private currentPeriod(index: number, now: number): CurrentPeriod {
    const cached = this.current[index];
    if (cached && now >= cached.start && now < cached.end) return cached;
    const budget = this.budgets[index]!;
    const window = this.periods.window(budget.period, budget.timeZone, now);
    const end = window.end ? window.end.getTime() : Number.POSITIVE_INFINITY;
    const period: CurrentPeriod = {
      start: window.start.getTime(),
      end,
      key: window.key,
      periodEnd: window.end ? end : Number.MAX_SAFE_INTEGER,
      counters: new Map(),
    };
    this.current[index] = period;
    return period;
  }
}

function counterIn(period: CurrentPeriod, budget: NormalizedBudget, scope: string): ApplicableCounter {
  let counter = period.counters.get(scope);
  if (!counter) {
    if (period.counters.size >= MAX_REUSED_SCOPES) period.counters.clear();
    counter = {
      budget,
      limit: {
        budgetId: budget.id,
        scope,
        period: period.key,
        capacity: budget.limitNano - budget.bufferNano,
        periodEnd: period.periodEnd,
      },
    };
    period.counters.set(scope, counter);
  }
  return counter;
}
