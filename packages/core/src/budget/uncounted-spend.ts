import type { NanoUsd } from '../money/money';
import type {
  BudgetDefinition,
  BudgetStore,
  RollupQuery,
  RollupRow,
  StoredBudgetDefinition,
} from '../store/store-contract';
import { dayKey, periodWindow } from './period';

/** A budget that began counting in a period where the store already holds spend it does not count. */
export interface UncountedSpend {
  readonly budgetId: string;
  /** The period's key, e.g. `day:2026-12-07`. */
  readonly period: string;
  /** What the store recorded in the period that the budget's counter does not hold. */
  readonly uncountedNano: NanoUsd;
  /** The scope of the budget's one counter (`global`, `user:u-42`); none for a counter per scope value. */
  readonly counterScope?: string;
}

/**
 * The budgets whose counters the store has not kept before (no definition saved under their id,
 * or one with another period or scope, in a store with definitions saved) and whose current
 * period already has spend recorded that their counters do not hold. Counting from their first
 * call, they would let the period spend that much more than their limit. The period's spend is
 * read from the daily rollups, so by whole days of the report time zone (approximate at the
 * period's edges when the budget's time zone is another).
 */
export async function findUncountedSpend(
  store: Pick<BudgetStore, 'queryRollups' | 'readCounters' | 'listCounters'>,
  definitions: readonly BudgetDefinition[],
  saved: readonly StoredBudgetDefinition[],
  reportTimeZone: string,
  now: number,
): Promise<UncountedSpend[]> {
  const found: UncountedSpend[] = [];
  // A store with no definitions saved is older than them (or new): its counters are not known to be new.
  if (saved.length === 0) return found;
  for (const definition of definitions) {
    const counts = countedRecords(definition);
    if (!counts || saved.some((before) => countsAlike(before, definition))) continue;
    const window = periodWindow(definition.period, definition.timeZone, new Date(now));
    const counterScope = counterScopeOf(definition);
    // Read together, so that a call settled meanwhile is in both or in neither.
    const [rows, counted] = await Promise.all([
      store.queryRollups({
        fromDay: dayKey(window.start, reportTimeZone),
        toDay: dayKey(now, reportTimeZone),
        ...(counts.where ? { where: counts.where } : {}),
      }),
      countedIn(store, definition, counterScope, window.key, now),
    ]);
    let recorded = 0;
    for (const row of rows) if (counts.row(row)) recorded += row.cost;
    if (recorded > counted)
      found.push({
        budgetId: definition.id,
        period: window.key,
        uncountedNano: recorded - counted,
        ...(counterScope === undefined ? {} : { counterScope }),
      });
  }
  return found;
}

/** Whether a budget saved before kept the counters this definition charges. */
function countsAlike(before: BudgetDefinition, definition: BudgetDefinition): boolean {
  return (
    before.id === definition.id &&
    before.period === definition.period &&
    before.scope === definition.scope &&
    before.scopeValue === definition.scopeValue
  );
}

/**
 * Which rollup rows hold records the budget would have counted: all of them for a global budget,
 * one user's or project's, or any user's or project's for a budget per user or project.
 * `undefined` for tags and custom attributes, which the rollups do not keep.
 */
function countedRecords(
  definition: BudgetDefinition,
): { where?: RollupQuery['where']; row: (row: RollupRow) => boolean } | undefined {
  const { scope, scopeValue } = definition;
  if (scope === 'global') return { row: () => true };
  if (scope !== 'user' && scope !== 'project') return undefined;
  const dimension = scope === 'user' ? 'userId' : 'projectId';
  if (scopeValue !== undefined) return { where: { [dimension]: scopeValue }, row: () => true };
  return { row: (row) => row[dimension] !== '' };
}

/** The scope of a budget's one counter; `undefined` for a budget with a counter per scope value. */
function counterScopeOf({ scope, scopeValue }: BudgetDefinition): string | undefined {
  if (scope === 'global') return 'global';
  return scopeValue === undefined ? undefined : `${scope}:${scopeValue}`;
}

/** What the budget's counters hold in the period (the first thousand, for a counter per scope value). */
async function countedIn(
  store: Pick<BudgetStore, 'readCounters' | 'listCounters'>,
  { id: budgetId }: BudgetDefinition,
  counterScope: string | undefined,
  period: string,
  now: number,
): Promise<NanoUsd> {
  if (counterScope !== undefined) {
    const [state] = await store.readCounters([{ budgetId, scope: counterScope, period }], now);
    return state?.committed ?? 0;
  }
  let committed = 0;
  for (const counter of await store.listCounters({ budgetId, period, limit: 1_000, now }))
    committed += counter.committed;
  return committed;
}
