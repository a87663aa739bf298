import { validateFunction, validatePlainObject } from '../errors/validation';
import { ValidationError } from '../errors/validation-error';
import type { BudgetStore } from '../store/store-contract';

const STORE_METHODS = [
  'reserve',
  'commit',
  'release',
  'readCounters',
  'readDailySpend',
  'queryRollups',
  'getRecord',
  'readRecords',
  'listCounters',
  'saveBudgets',
  'readBudgets',
  'close',
] as const;

/** Duck-typed (a store from another copy of core is fine), but a store in name only fails here, not on the first call. */
export function validateStore(store: unknown): BudgetStore {
  if (typeof store === 'string')
    throw new ValidationError({
      field: 'store',
      message:
        "must be a store object, such as new SqliteStore({ path: 'tollgate.db' }) from @tollgate/sqlite or a MongoStore from @tollgate/mongodb: a connection string is what the CLI's --store takes",
    });
  const candidate = validatePlainObject(store, 'store') as Partial<BudgetStore>;
  if (candidate.specificationVersion !== 'v2')
    throw new ValidationError({
      field: 'store.specificationVersion',
      message:
        candidate.specificationVersion === 'v1'
          ? 'must be "v2": this store implements contract v1, upgrade its package'
          : 'must be "v2"',
    });
  for (const method of STORE_METHODS) validateFunction(candidate[method], `store.${method}`);
  if (candidate.readHolds !== undefined) validateFunction(candidate.readHolds, 'store.readHolds');
  if (candidate.seedCounter !== undefined) validateFunction(candidate.seedCounter, 'store.seedCounter');
  return candidate as BudgetStore;
}
