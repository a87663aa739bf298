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
  'close',
] as const;

/** Duck-typed (a store from another copy of core is fine), but a store in name only fails here, not on the first call. */
export function validateStore(store: unknown): BudgetStore {
  const candidate = validatePlainObject(store, 'store') as Partial<BudgetStore>;
  if (candidate.specificationVersion !== 'v1')
    throw new ValidationError({ field: 'store.specificationVersion', message: 'must be "v1"' });
  for (const method of STORE_METHODS) validateFunction(candidate[method], `store.${method}`);
  return candidate as BudgetStore;
}
