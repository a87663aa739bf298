import type { NanoUsd } from '../money/money';
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

/** A store that passes every operation to another: a base for one that changes a few of them. */
export class ForwardingStore implements BudgetStore {
  readonly specificationVersion = 'v2' as const;

  constructor(readonly store: BudgetStore) {}

  reserve(request: ReserveRequest): Promise<ReserveResult> {
    return this.store.reserve(request);
  }

  commit(request: CommitRequest): Promise<CommitResult> {
    return this.store.commit(request);
  }

  release(reservationId: string, now: number): Promise<void> {
    return this.store.release(reservationId, now);
  }

  readCounters(keys: readonly CounterKey[], now: number): Promise<CounterState[]> {
    return this.store.readCounters(keys, now);
  }

  readDailySpend(query: DailySpendQuery): Promise<{ day: string; cost: NanoUsd }[]> {
    return this.store.readDailySpend(query);
  }

  queryRollups(query: RollupQuery): Promise<RollupRow[]> {
    return this.store.queryRollups(query);
  }

  getRecord(requestId: string): Promise<UsageRecord | undefined> {
    return this.store.getRecord(requestId);
  }

  readRecords(query: RecordQuery): Promise<UsageRecord[]> {
    return this.store.readRecords(query);
  }

  listCounters(query: CounterListQuery): Promise<CounterState[]> {
    return this.store.listCounters(query);
  }

  saveBudgets(definitions: readonly BudgetDefinition[], now: number): Promise<void> {
    return this.store.saveBudgets(definitions, now);
  }

  readBudgets(): Promise<StoredBudgetDefinition[]> {
    return this.store.readBudgets();
  }

  /** Makes the counter in the store, or nothing when the store cannot. */
  seedCounter(counter: CounterLimit, committed: NanoUsd, now: number): Promise<boolean> {
    return this.store.seedCounter ? this.store.seedCounter(counter, committed, now) : Promise.resolve(false);
  }

  /** The store's holds, or none when it cannot list them. */
  readHolds(key: CounterKey, now: number): Promise<HoldState[]> {
    return this.store.readHolds ? this.store.readHolds(key, now) : Promise.resolve([]);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
