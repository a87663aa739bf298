import {
  type BudgetManager,
  type BudgetStore,
  budgetDefinitionOf,
  findUncountedSpend,
  MemoryStore,
  type NanoUsd,
  StorageUnavailableError,
  type StoredBudgetDefinition,
} from '@tollgate/core';
import { CliError, EXIT_CODES } from '../cli-error';
import type { CliIo } from '../cli-io';
import { type BudgetsInUse, budgetsInUse } from '../config/budgets-in-use';
import { createBudgetFromConfig } from '../config/create-budget-from-config';
import { loadConfig } from '../config/load-config';
import { resolveClock } from '../config/resolve-clock';
import { describeError } from './describe-error';
import { openStore } from './open-store';
import { readOnlyStore } from './read-only-store';
import { DEFAULT_STORE, parseStoreSpec } from './store-spec';

export interface StoreOptions {
  readonly store?: string;
  readonly config?: string;
  readonly connectTimeout: number;
}

export interface BudgetSession {
  readonly budget: BudgetManager;
  /** The store as it may be shown (credentials hidden). */
  readonly storeLabel: string;
  readonly configPath: string | undefined;
  /** The budgets shown: the config's, else the ones the app saved in the store, else none. */
  readonly budgets: BudgetsInUse;
  close(): Promise<void>;
}

/**
 * The budget manager over the chosen store (read only) with the budgets in use. Arguments and config
 * are checked before the store is touched.
 */
export async function openBudget(options: StoreOptions, io: CliIo): Promise<BudgetSession> {
  const spec =
    options.store !== undefined
      ? parseStoreSpec(options.store, io.cwd, '--store')
      : io.env.TOLLGATE_STORE !== undefined
        ? parseStoreSpec(io.env.TOLLGATE_STORE, io.cwd, '$TOLLGATE_STORE')
        : parseStoreSpec(DEFAULT_STORE, io.cwd, 'default');
  const loaded = loadConfig(options.config ?? io.env.TOLLGATE_CONFIG, io.cwd);
  const clock = resolveClock(io.env);
  // Validates the config before a store is opened: a typo should not wait for a server time-out.
  createBudgetFromConfig(loaded, new MemoryStore(), clock, budgetsInUse(loaded, []));
  const store = readOnlyStore(await openStore(spec, { connectTimeoutMs: options.connectTimeout }));
  try {
    const stored = await store.readBudgets();
    const inUse = budgetsInUse(loaded, loaded.config.budgets === undefined ? stored : []);
    const budget = createBudgetFromConfig(loaded, store, clock, inUse, savedReportTimeZone(stored));
    const budgets =
      inUse.source === 'config'
        ? { ...inUse, uncounted: await uncountedSpendOf(budget, store, stored, clock()) }
        : inUse;
    return {
      budget,
      storeLabel: spec.label,
      configPath: loaded.path,
      budgets,
      close: () => budget.close(),
    };
  } catch (error) {
    await store.close().catch(() => {});
    if (StorageUnavailableError.isInstance(error))
      throw new CliError(`cannot read store ${spec.label}: ${describeError(error)}`, EXIT_CODES.store, {
        cause: error,
      });
    throw error;
  }
}

/** The report time zone the app saved with its budgets, on its latest save: the zone of its days. */
function savedReportTimeZone(stored: readonly StoredBudgetDefinition[]): string | undefined {
  let latest: StoredBudgetDefinition | undefined;
  for (const definition of stored)
    if (definition.reportTimeZone !== undefined && definition.definedAt >= (latest?.definedAt ?? 0))
      latest = definition;
  return latest?.reportTimeZone;
}

/** The spend of their current period that the config's budgets the app never ran do not count, by id. */
async function uncountedSpendOf(
  budget: BudgetManager,
  store: BudgetStore,
  stored: readonly StoredBudgetDefinition[],
  now: number,
): Promise<Map<string, NanoUsd>> {
  const definitions = budget.budgets.map((definition) => budgetDefinitionOf(definition));
  const found = await findUncountedSpend(store, definitions, stored, budget.reportTimeZone, now);
  return new Map(found.map((each) => [each.budgetId, each.uncountedNano]));
}

/** Runs `fn` with an open session and closes it; a store that fails midway is exit code 3, not a stack. */
export async function withBudgetSession<T>(
  options: StoreOptions,
  io: CliIo,
  fn: (session: BudgetSession) => Promise<T>,
): Promise<T> {
  const session = await openBudget(options, io);
  try {
    return await fn(session);
  } catch (error) {
    if (StorageUnavailableError.isInstance(error))
      throw new CliError(
        `cannot read store ${session.storeLabel}: ${describeError(error)}`,
        EXIT_CODES.store,
        {
          cause: error,
        },
      );
    throw error;
  } finally {
    await session.close().catch(() => {});
  }
}

/** A budget manager with no store to read, for `prices` and `estimate` (they still honour the config's prices). */
export function openCatalogBudget(config: string | undefined, io: CliIo): BudgetManager {
  const loaded = loadConfig(config ?? io.env.TOLLGATE_CONFIG, io.cwd);
  return createBudgetFromConfig(loaded, new MemoryStore(), resolveClock(io.env), budgetsInUse(loaded, []));
}
