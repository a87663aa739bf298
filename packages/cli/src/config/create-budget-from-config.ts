import {
  type BudgetConfig,
  type BudgetManager,
  type BudgetStore,
  createBudget,
  type TollgateWarning,
  ValidationError,
} from '@tollgate/core';
import { CliError, EXIT_CODES, usageError } from '../cli-error';
import type { BudgetsInUse } from './budgets-in-use';
import type { LoadedConfig, TollgateConfig } from './load-config';

/** Reads are allowed longer than a gate's 5 s: a report over a remote store may take a while. */
const STORE_READ_TIMEOUT_MS = 30_000;

/**
 * With no budget defined anywhere, the manager still reads spend for reports; core needs one budget,
 * so it gets this one, which the command never shows (its statuses are left out, see `BudgetSession`).
 */
export const NO_BUDGET: BudgetConfig = { id: 'no-budget-defined', limitUsd: 1_000_000, period: 'total' };

/**
 * A budget manager with the budgets in use, the report time zone (the config's, else the one the
 * app saved with its budgets) and the config's prices. A bad config is a bad argument; a bad saved
 * budget is a store that cannot be read.
 */
export function createBudgetFromConfig(
  loaded: LoadedConfig,
  store: BudgetStore,
  clock: () => number,
  budgets: BudgetsInUse,
  savedReportTimeZone?: string,
): BudgetManager {
  const { config } = loaded;
  const reportTimeZone = config.reportTimeZone ?? savedReportTimeZone;
  try {
    return createBudget({
      store,
      clock,
      admissionTimeoutMs: STORE_READ_TIMEOUT_MS,
      // The status shows what a budget the app never ran leaves out, under the budget.
      onWarning: warnUnlessShown,
      budgets: budgets.source === 'none' ? [NO_BUDGET] : [...budgets.configs],
      ...(reportTimeZone === undefined ? {} : { reportTimeZone }),
      ...(config.prices === undefined ? {} : { prices: withoutUpdate(config.prices) }),
    });
  } catch (error) {
    if (!ValidationError.isInstance(error)) throw error;
    if (budgets.source === 'store')
      throw new CliError(
        `the budgets saved in the store cannot be used: ${error.message}`,
        EXIT_CODES.store,
        {
          cause: error,
        },
      );
    throw usageError(`invalid config ${loaded.path}: ${error.message}`);
  }
}

/** The command never fetches prices in the background: `prices --update` does, when asked. */
function withoutUpdate(prices: NonNullable<TollgateConfig['prices']>): NonNullable<TollgateConfig['prices']> {
  if (Array.isArray(prices) || prices === null || typeof prices !== 'object') return prices;
  const { update: _, ...rest } = prices;
  return rest;
}

function warnUnlessShown(warning: TollgateWarning): void {
  if (warning.code === 'TOLLGATE_UNCOUNTED_SPEND') return;
  process.emitWarning(warning.message, { type: warning.name, code: warning.code });
}
