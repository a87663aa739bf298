import { type BudgetManager, type BudgetStore, createBudget, ValidationError } from '@tollgate/core';
import { usageError } from '../cli-error';
import type { LoadedConfig } from './load-config';

/** Reads are allowed longer than a gate's 5 s: a report over a remote store may take a while. */
const STORE_READ_TIMEOUT_MS = 30_000;

/** A budget manager with the configured budgets, report time zone and prices; config errors are bad arguments. */
export function createBudgetFromConfig(
  loaded: LoadedConfig,
  store: BudgetStore,
  clock: () => number,
): BudgetManager {
  const { config } = loaded;
  try {
    return createBudget({
      store,
      clock,
      admissionTimeoutMs: STORE_READ_TIMEOUT_MS,
      ...(config.budgets === undefined ? {} : { budgets: config.budgets }),
      ...(config.reportTimeZone === undefined ? {} : { reportTimeZone: config.reportTimeZone }),
      ...(config.prices === undefined ? {} : { prices: config.prices }),
    });
  } catch (error) {
    if (ValidationError.isInstance(error))
      throw usageError(`invalid config ${loaded.path}: ${error.message}`);
    throw error;
  }
}
