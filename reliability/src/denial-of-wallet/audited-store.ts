import type {
  BudgetDefinition,
  BudgetStore,
  CommitRequest,
  CommitResult,
  CounterKey,
  CounterListQuery,
  CounterState,
  DailySpendQuery,
  RecordQuery,
  ReserveRequest,
  ReserveResult,
  RollupQuery,
  StoredBudgetDefinition,
  UsageRecord,
} from '@tollgate/core';

type Operation = 'reserve' | 'commit' | 'read';

/**
 * A store that checks every counter state the real store returns (after each reservation, each
 * commit, each read) against the budget's limit: committed, and committed plus reserved, never
 * above it. Every operation is a sample, however busy the event loop is.
 */
export class AuditedStore implements BudgetStore {
  readonly specificationVersion = 'v2' as const;
  states = 0;
  readonly maxCommitted = new Map<string, number>();
  readonly maxHeld = new Map<string, number>();
  /** States with committed spend above the limit. */
  readonly overCommitted: string[] = [];
  /** States with committed plus reserved above the limit, by the operation that returned them. */
  readonly overHeld: Record<Operation, string[]> = { reserve: [], commit: [], read: [] };
  /** Records that cost more than was reserved for them, or were charged without a reservation. */
  readonly unreserved: UsageRecord[] = [];

  constructor(
    private readonly inner: BudgetStore,
    private readonly limits: Record<string, number>,
  ) {}

  async reserve(request: ReserveRequest): Promise<ReserveResult> {
    const result = await this.inner.reserve(request);
    if (result.ok) this.audit('reserve', result.counters);
    return result;
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    const result = await this.inner.commit(request);
    if (result.recorded && (request.record.overrun > 0 || request.reservationId === undefined))
      this.unreserved.push(request.record);
    this.audit('commit', result.counters);
    return result;
  }

  release(reservationId: string, now: number): Promise<void> {
    return this.inner.release(reservationId, now);
  }

  async readCounters(keys: readonly CounterKey[], now: number): Promise<CounterState[]> {
    const states = await this.inner.readCounters(keys, now);
    this.audit('read', states);
    return states;
  }

  readDailySpend(query: DailySpendQuery): Promise<{ day: string; cost: number }[]> {
    return this.inner.readDailySpend(query);
  }

  queryRollups(query: RollupQuery) {
    return this.inner.queryRollups(query);
  }

  getRecord(requestId: string): Promise<UsageRecord | undefined> {
    return this.inner.getRecord(requestId);
  }

  readRecords(query: RecordQuery): Promise<UsageRecord[]> {
    return this.inner.readRecords(query);
  }

  async listCounters(query: CounterListQuery): Promise<CounterState[]> {
    const states = await this.inner.listCounters(query);
    this.audit('read', states);
    return states;
  }

  saveBudgets(definitions: readonly BudgetDefinition[], now: number): Promise<void> {
    return this.inner.saveBudgets(definitions, now);
  }

  readBudgets(): Promise<StoredBudgetDefinition[]> {
    return this.inner.readBudgets();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private audit(operation: Operation, states: readonly CounterState[]): void {
    for (const state of states) {
      this.states += 1;
      const limit = this.limits[state.budgetId];
      if (limit === undefined) {
        this.overCommitted.push(`${operation}: unknown budget ${state.budgetId}`);
        continue;
      }
      const held = state.committed + state.reserved;
      this.maxCommitted.set(
        state.budgetId,
        Math.max(this.maxCommitted.get(state.budgetId) ?? 0, state.committed),
      );
      this.maxHeld.set(state.budgetId, Math.max(this.maxHeld.get(state.budgetId) ?? 0, held));
      const described = `${operation} ${state.budgetId} ${state.scope}: committed ${state.committed} + reserved ${state.reserved}, limit ${limit}`;
      if (state.committed > limit) this.overCommitted.push(described);
      else if (held > limit) this.overHeld[operation].push(described);
    }
  }
}
