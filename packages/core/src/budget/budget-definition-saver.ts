import type { BudgetSettings } from '../config/budget-settings';
import type { BoundedStore } from '../store/bounded-store';
import type { BudgetDefinition, StoredBudgetDefinition } from '../store/store-contract';
import { budgetDefinitionOf } from './budget-definition';
import { findUncountedSpend, type UncountedSpend } from './uncounted-spend';

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
 * The definitions saved before are read first: a budget new to the store (or given another period
 * or scope) whose period already has spend recorded is reported (`onUncountedSpend`), since it
 * counts from its first call.
 */
export class BudgetDefinitionSaver {
  private saved = false;
  private pending: Promise<void> | undefined;
  private retryAt = 0;
  private checking: Promise<void> | undefined;

  private readonly definitions: readonly BudgetDefinition[];

  constructor(
    private readonly store: BoundedStore,
    private readonly settings: Pick<BudgetSettings, 'budgets' | 'clock' | 'reportTimeZone'>,
    private readonly onUncountedSpend: (uncounted: UncountedSpend) => void,
  ) {
    this.definitions = settings.budgets.map(budgetDefinitionOf);
  }

  /** Called on every use of the store; once the definitions are saved, a single check. */
  use(): void {
    if (this.saved || this.pending !== undefined || Date.now() < this.retryAt) return;
    this.pending = this.save();
  }

  /** Before the store closes: waits for a save in flight, and tries once more one that failed. */
  async finish(): Promise<void> {
    await this.pending;
    await this.checking;
    if (this.saved || this.retryAt === 0) return;
    this.pending = this.save();
    await this.pending;
  }

  private async save(): Promise<void> {
    try {
      await undefined;
      const before = await this.store.readBudgets();
      await this.store.saveBudgets(this.definitions, this.settings.clock());
      this.saved = true;
      this.checking = this.reportUncountedSpend(before);
    } catch {
      this.retryAt = Date.now() + RETRY_INTERVAL_MS;
    } finally {
      this.pending = undefined;
    }
  }

  private async reportUncountedSpend(before: readonly StoredBudgetDefinition[]): Promise<void> {
    const { reportTimeZone, clock } = this.settings;
    try {
      const found = await findUncountedSpend(this.store, this.definitions, before, reportTimeZone, clock());
      for (const uncounted of found) this.onUncountedSpend(uncounted);
    } catch {
      // Only a warning is lost: the store that failed it fails the calls too, and says so there.
    }
  }
}
