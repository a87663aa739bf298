import { type BudgetStore, TollgateError } from '@tollgate/core';

/**
 * The store as the command uses it: for reading. A budget manager saves its definitions on first
 * use; through this view that save does nothing, so the command never replaces the app's budgets
 * with the ones it was given (a config file) and never moves their `definedAt`. Anything else that
 * would write fails.
 */
export function readOnlyStore(store: BudgetStore): BudgetStore {
  const refuse = () => Promise.reject(new TollgateError('The tollgate command only reads the store.'));
  return {
    specificationVersion: store.specificationVersion,
    reserve: refuse,
    commit: refuse,
    release: refuse,
    saveBudgets: () => Promise.resolve(),
    readCounters: (keys, now) => store.readCounters(keys, now),
    readDailySpend: (query) => store.readDailySpend(query),
    queryRollups: (query) => store.queryRollups(query),
    getRecord: (requestId) => store.getRecord(requestId),
    readRecords: (query) => store.readRecords(query),
    listCounters: (query) => store.listCounters(query),
    readBudgets: () => store.readBudgets(),
    close: () => store.close(),
    ...(store.readHolds && { readHolds: store.readHolds.bind(store) }),
  };
}
