import type {
  BudgetDefinition,
  BudgetStore,
  CommitRequest,
  CommitResult,
  CounterKey,
  CounterListQuery,
  CounterState,
  DailySpendQuery,
  NanoUsd,
  RecordQuery,
  ReserveRequest,
  ReserveResult,
  RollupQuery,
  RollupRow,
  StoredBudgetDefinition,
  UsageRecord,
} from '@tollgate/core';

type Write =
  | { readonly kind: 'reserve'; readonly reservationId: string; readonly ok: boolean }
  | { readonly kind: 'commit'; readonly requestId: string }
  | { readonly kind: 'release'; readonly reservationId: string };

/**
 * A store that passes every call to another store and notes each write that reaches it.
 * Everything that changes a store's state goes through `reserve`, `commit` or `release`,
 * so "no partial write" after a refusal is: no commit, and every reservation taken was
 * given back.
 */
export class StoreJournal implements BudgetStore {
  readonly specificationVersion = 'v2' as const;
  private writes: Write[] = [];

  constructor(private readonly inner: BudgetStore) {}

  /** Forgets what was noted so far; the next `problems()` covers only what follows. */
  mark(): void {
    this.writes = [];
  }

  /** Writes (reservations taken or refused, commits, releases) that reached the store since `mark()`. */
  get writeCount(): number {
    return this.writes.length;
  }

  /** Why the writes since `mark()` are not "nothing happened", or undefined when they are. */
  problems(): string | undefined {
    const commits = this.writes.filter((write) => write.kind === 'commit');
    if (commits.length > 0) return `${commits.length} commit(s) reached the store`;
    const released = new Set(
      this.writes.flatMap((write) => (write.kind === 'release' ? [write.reservationId] : [])),
    );
    const held = this.writes.filter(
      (write) => write.kind === 'reserve' && write.ok && !released.has(write.reservationId),
    );
    return held.length > 0 ? `${held.length} reservation(s) left held` : undefined;
  }

  async reserve(request: ReserveRequest): Promise<ReserveResult> {
    const result = await this.inner.reserve(request);
    this.writes.push({ kind: 'reserve', reservationId: request.reservationId, ok: result.ok });
    return result;
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    this.writes.push({ kind: 'commit', requestId: String(request.record?.requestId) });
    return this.inner.commit(request);
  }

  async release(reservationId: string, now: number): Promise<void> {
    this.writes.push({ kind: 'release', reservationId });
    return this.inner.release(reservationId, now);
  }

  readCounters(keys: readonly CounterKey[], now: number): Promise<CounterState[]> {
    return this.inner.readCounters(keys, now);
  }

  readDailySpend(query: DailySpendQuery): Promise<{ day: string; cost: NanoUsd }[]> {
    return this.inner.readDailySpend(query);
  }

  queryRollups(query: RollupQuery): Promise<RollupRow[]> {
    return this.inner.queryRollups(query);
  }

  getRecord(requestId: string): Promise<UsageRecord | undefined> {
    return this.inner.getRecord(requestId);
  }

  readRecords(query: RecordQuery): Promise<UsageRecord[]> {
    return this.inner.readRecords(query);
  }

  listCounters(query: CounterListQuery): Promise<CounterState[]> {
    return this.inner.listCounters(query);
  }

  /** Budget definitions are no spend: a refused call may find them saved, as any first use of the store does. */
  saveBudgets(definitions: readonly BudgetDefinition[], now: number): Promise<void> {
    return this.inner.saveBudgets(definitions, now);
  }

  readBudgets(): Promise<StoredBudgetDefinition[]> {
    return this.inner.readBudgets();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
