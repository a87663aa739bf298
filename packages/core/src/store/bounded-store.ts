import { StorageUnavailableError } from '../errors/storage-unavailable-error';
import { TollgateError } from '../errors/tollgate-error';
import type { NanoUsd } from '../money/money';
import { DeadlineWatcher } from './deadline-watcher';
import { MemoryStore } from './memory-store';
import type {
  BudgetDefinition,
  BudgetStore,
  CommitRequest,
  CommitResult,
  CounterKey,
  CounterLimit,
  CounterListQuery,
  CounterState,
  DailySpendQuery,
  HoldState,
  RecordQuery,
  ReserveRequest,
  ReserveResult,
  RollupQuery,
  RollupRow,
  StoredBudgetDefinition,
  UsageRecord,
} from './store-contract';

const IN_PROCESS: BudgetStore = MemoryStore.prototype;

/**
 * The store as a budget uses it: an operation that does not answer within the admission
 * timeout fails with `StorageUnavailableError`, and so does any other failure of the store.
 */
export class BoundedStore {
  private readonly deadlines: DeadlineWatcher;

  constructor(
    readonly store: BudgetStore,
    readonly timeoutMs: number,
  ) {
    this.deadlines = new DeadlineWatcher(
      timeoutMs,
      (deadline) =>
        new StorageUnavailableError(
          `The budget store did not answer the ${deadline.what} within ${timeoutMs} ms.`,
        ),
    );
  }

  // MemoryStore's own reserve, commit and release answer before they return: a deadline could
  // never fire, and setting one costs more than the operation. Checked on each call, since a
  // store's method can be replaced at any time (a subclass's or a wrapper's is bounded).
  reserve(request: ReserveRequest): Promise<ReserveResult> {
    const { store } = this;
    if (store.reserve === IN_PROCESS.reserve) return store.reserve(request);
    return this.bounded(store.reserve(request), 'reserve');
  }

  commit(request: CommitRequest): Promise<CommitResult> {
    const { store } = this;
    if (store.commit === IN_PROCESS.commit) return store.commit(request);
    return this.bounded(store.commit(request), 'commit');
  }

  release(reservationId: string, now: number): Promise<void> {
    const { store } = this;
    if (store.release === IN_PROCESS.release) return store.release(reservationId, now);
    return this.bounded(store.release(reservationId, now), 'release');
  }

  readCounters(keys: readonly CounterKey[], now: number): Promise<CounterState[]> {
    return this.bounded(this.store.readCounters(keys, now), 'read');
  }

  /** Makes the counter when it does not exist; false when the store has no `seedCounter` (v2 optional). */
  seedCounter(counter: CounterLimit, committed: NanoUsd, now: number): Promise<boolean> {
    const { store } = this;
    if (typeof store.seedCounter !== 'function') return Promise.resolve(false);
    return this.bounded(store.seedCounter(counter, committed, now), 'seed of a new counter');
  }

  /** The holds on one counter, or `undefined` when the store has no `readHolds` (v2 optional). */
  readHolds(key: CounterKey, now: number): Promise<HoldState[] | undefined> {
    const { store } = this;
    if (typeof store.readHolds !== 'function') return Promise.resolve(undefined);
    return this.bounded(store.readHolds(key, now), 'read of holds');
  }

  readDailySpend(query: DailySpendQuery): Promise<{ day: string; cost: NanoUsd }[]> {
    return this.bounded(this.store.readDailySpend(query), 'read');
  }

  queryRollups(query: RollupQuery): Promise<RollupRow[]> {
    return this.bounded(this.store.queryRollups(query), 'report');
  }

  readRecords(query: RecordQuery): Promise<UsageRecord[]> {
    return this.bounded(this.store.readRecords(query), 'read of records');
  }

  listCounters(query: CounterListQuery): Promise<CounterState[]> {
    return this.bounded(this.store.listCounters(query), 'read');
  }

  saveBudgets(definitions: readonly BudgetDefinition[], now: number): Promise<void> {
    return this.bounded(this.store.saveBudgets(definitions, now), 'save of the budget definitions');
  }

  readBudgets(): Promise<StoredBudgetDefinition[]> {
    return this.bounded(this.store.readBudgets(), 'read of the budget definitions');
  }

  /** One promise for the caller, settled by the operation or by its deadline, whichever comes first. */
  bounded<T>(operation: Promise<T>, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const deadline = this.deadlines.start(what, reject);
      operation.then(
        (value) => {
          this.deadlines.stop(deadline);
          resolve(value);
        },
        (error: unknown) => {
          this.deadlines.stop(deadline);
          reject(
            TollgateError.isInstance(error)
              ? error
              : new StorageUnavailableError(`The budget store failed during ${what}.`, { cause: error }),
          );
        },
      );
    });
  }
}
