import type { BudgetSettings } from '../config/budget-settings';
import type { BoundedStore } from '../store/bounded-store';
import type { BudgetDefinition } from '../store/store-contract';
import type { BudgetCounters } from './budget-counters';
import { findUncountedSpend, type UncountedSpend } from './uncounted-spend';

/** How long after a failed attempt the next use of the store tries again. */
const RETRY_INTERVAL_MS = 60_000;

/**
 * Before this process's first call, gives each budget new to the store (no definition saved under
 * its id, or one with another period or scope) the spend its current period already has: its
 * counter is made with that spend (`store.seedCounter`), so the budget does not admit that much
 * more than its limit. A counter that exists already (another instance made or charged it) stays
 * as it is. Spend that cannot be given that way (a budget per user or project, a store without
 * `seedCounter`, a counter that exists) is reported (`onUncountedSpend`).
 *
 * It runs once, on the first use of the store, and that use waits for it. If the store fails it,
 * calls go on without it and a use at least a minute later tries again.
 */
export class NewBudgetCounters {
  /** Each new budget was given its spend, or reported. */
  done = false;
  private running: Promise<void> | undefined;
  private retryAt = 0;

  constructor(
    private readonly store: BoundedStore,
    private readonly settings: Pick<BudgetSettings, 'budgets' | 'clock' | 'reportTimeZone'>,
    private readonly definitions: readonly BudgetDefinition[],
    private readonly counters: BudgetCounters,
    private readonly onUncountedSpend: (uncounted: UncountedSpend) => void,
  ) {}

  /** What the first use of the store waits for; `undefined` once done (or until a retry is due). */
  ready(): Promise<void> | undefined {
    if (this.done || Date.now() < this.retryAt) return undefined;
    this.running ??= this.giveSpend().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async giveSpend(): Promise<void> {
    try {
      const { clock, reportTimeZone } = this.settings;
      const now = clock();
      const saved = await this.store.readBudgets();
      const found = await findUncountedSpend(this.store, this.definitions, saved, reportTimeZone, now);
      for (const uncounted of found) if (!(await this.seed(uncounted, now))) this.onUncountedSpend(uncounted);
      this.done = true;
    } catch {
      this.retryAt = Date.now() + RETRY_INTERVAL_MS;
    }
  }

  /** Makes the budget's one counter with the spend; false when it has a counter per scope value or the store cannot. */
  private seed({ budgetId, uncountedNano, counterScope }: UncountedSpend, now: number): Promise<boolean> {
    if (counterScope === undefined) return Promise.resolve(false);
    const index = this.settings.budgets.findIndex((budget) => budget.id === budgetId);
    return this.store.seedCounter(this.counters.forScope(index, counterScope, now).limit, uncountedNano, now);
  }
}
