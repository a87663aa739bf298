import { type CommitsInBatches, commitsInBatches } from '../settlement/commit-in-batches';
import { BoundedStore } from './bounded-store';
import type { BudgetStore } from './store-contract';

/**
 * The store as a `BudgetStore` whose every operation fails with `StorageUnavailableError` when it
 * does not answer within `timeoutMs`: for a part that works on the store behind the gate (the
 * leases' writes and holds), so that a hanging store cannot hang `flushUsage()` or `close()`.
 * Closing it closes nothing: the budget closes the store itself.
 */
export function boundedBudgetStore(
  store: BudgetStore,
  timeoutMs: number,
): BudgetStore & Partial<CommitsInBatches> {
  const bounded = new BoundedStore(store, timeoutMs);
  const view: BudgetStore & Partial<CommitsInBatches> = {
    specificationVersion: store.specificationVersion,
    reserve: (request) => bounded.reserve(request),
    commit: (request) => bounded.commit(request),
    release: (reservationId, now) => bounded.release(reservationId, now),
    readCounters: (keys, now) => bounded.readCounters(keys, now),
    readDailySpend: (query) => bounded.readDailySpend(query),
    queryRollups: (query) => bounded.queryRollups(query),
    getRecord: (requestId) => bounded.bounded(store.getRecord(requestId), 'read of a record'),
    readRecords: (query) => bounded.readRecords(query),
    listCounters: (query) => bounded.listCounters(query),
    saveBudgets: (definitions, now) => bounded.saveBudgets(definitions, now),
    readBudgets: () => bounded.readBudgets(),
    close: () => Promise.resolve(),
  };
  if (store.readHolds) view.readHolds = async (key, now) => (await bounded.readHolds(key, now)) ?? [];
  if (store.seedCounter)
    view.seedCounter = (counter, committed, now) => bounded.seedCounter(counter, committed, now);
  if (commitsInBatches(store))
    view.commitMany = (requests) => bounded.bounded(store.commitMany(requests), 'write of records');
  return view;
}
