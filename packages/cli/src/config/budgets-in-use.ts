import { type BudgetConfig, budgetConfigOf, type NanoUsd, type StoredBudgetDefinition } from '@tollgate/core';
import type { LoadedConfig } from './load-config';

/** Where the budgets the command shows come from. */
export type BudgetSource = 'store' | 'config' | 'none';

export interface BudgetsInUse {
  readonly source: BudgetSource;
  /** The budgets to build the manager with; empty when none are defined anywhere. */
  readonly configs: readonly BudgetConfig[];
  /** When the app last saved each budget (source `store` only), by budget id. */
  readonly definedAt: ReadonlyMap<string, number>;
  /**
   * For a config's budgets (source `config`): the spend of its current period that the store's
   * counters do not hold, by budget id, for a budget the app never ran (see core's
   * `findUncountedSpend`). Filled in once the store is read.
   */
  readonly uncounted?: ReadonlyMap<string, NanoUsd>;
}

/**
 * The budgets of the config file when it lists some (an override), else those the app saved in
 * the store, else none: the command never makes one up.
 */
export function budgetsInUse(loaded: LoadedConfig, stored: readonly StoredBudgetDefinition[]): BudgetsInUse {
  if (loaded.config.budgets !== undefined)
    return { source: 'config', configs: loaded.config.budgets, definedAt: new Map() };
  if (stored.length === 0) return { source: 'none', configs: [], definedAt: new Map() };
  return {
    source: 'store',
    configs: stored.map(budgetConfigOf),
    definedAt: new Map(stored.map((definition) => [definition.id, definition.definedAt])),
  };
}
