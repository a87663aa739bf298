import type { BudgetSettings } from '../config/budget-settings';
import type { BoundedStore } from '../store/bounded-store';
import type { BudgetDefinition } from '../store/store-contract';
import { budgetDefinitionOf } from './budget-definition';
import type { BudgetCounters } from './budget-counters';
import { NewBudgetCounters } from './new-budget-counters';
import type { UncountedSpend } from './uncounted-spend';

/** How long after a failed save the next use of the store tries again. */
const RETRY_INTERVAL_MS = 60_000;

/**
 * Saves the app's budget definitions in the store once per process, when the store is first used,
 * so that whoever opens the store (the CLI, a dashboard) sees the limits the app enforces.
 *
 * The save never holds up or fails a call: it starts once the call that triggered it has reserved
 * (a microtask later, so even a synchronous store reserves first), runs beside it, and is bounded
 * by the admission timeout. Not a turn of the event loop later: an app that dies of an uncaught
 * first refusal would end before it, and the store would keep showing its older limits. A save that fails is dropped and tried again by a use of
 * the store at least a minute later, and once more when the budget is closed; until one succeeds,
 * readers see the definitions saved before, or none.
 *
 * The first use of the store waits for the budgets new to it to get the spend of their period
 * (`NewBudgetCounters`), which compares with the definitions saved before: nothing is saved until
 * then.
 */
export class BudgetDefinitionSaver {
  private saved = false;
  private pending: Promise<void> | undefined;
  private retryAt = 0;

  private readonly definitions: readonly BudgetDefinition[];
  private readonly newBudgets: NewBudgetCounters;

  constructor(
    private readonly store: BoundedStore,
    private readonly settings: Pick<BudgetSettings, 'budgets' | 'clock' | 'reportTimeZone'>,
    counters: BudgetCounters,
    onUncountedSpend: (uncounted: UncountedSpend) => void,
  ) {
    this.definitions = settings.budgets.map((budget) => budgetDefinitionOf(budget, settings.reportTimeZone));
    this.newBudgets = new NewBudgetCounters(store, settings, this.definitions, counters, onUncountedSpend);
  }

  /**
   * Called on every use of the store: on the first, what it must wait for (new budgets' spend);
   * then the save, once the definitions are saved a single check.
   */
  use(): Promise<void> | undefined {
    const newBudgets = this.newBudgets.ready();
    // Then the save, for a use (a status) that does not come back to the store.
    if (newBudgets) return newBudgets.then(() => void this.use());
    if (this.saved || !this.newBudgets.done || this.pending !== undefined || Date.now() < this.retryAt)
      return;
    this.pending = this.save();
    return undefined;
  }

  /** Before the store closes: waits for a save in flight, and tries once more one that failed. */
  async finish(): Promise<void> {
    await this.pending;
    if (this.saved || this.retryAt === 0) return;
    this.pending = this.save();
    await this.pending;
  }

  private async save(): Promise<void> {
    try {
      await undefined;
      await this.store.saveBudgets(this.definitions, this.settings.clock());
      this.saved = true;
    } catch {
      this.retryAt = Date.now() + RETRY_INTERVAL_MS;
    } finally {
      this.pending = undefined;
    }
  }
}
