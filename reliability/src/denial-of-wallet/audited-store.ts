import {
  type BudgetStore,
  type CommitRequest,
  type CommitResult,
  type CounterKey,
  type CounterListQuery,
  type CounterState,
  ForwardingStore,
  type ReserveRequest,
  type ReserveResult,
  type UsageRecord,
} from '@tollgate/core';

type Operation = 'reserve' | 'commit' | 'read';

/**
 * A store that checks every counter state the real store returns (after each reservation, each
 * commit, each read) against the budget's limit: committed, and committed plus reserved, never
 * above it. Every operation is a sample, however busy the event loop is.
 */
export class AuditedStore extends ForwardingStore {
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
    store: BudgetStore,
    private readonly limits: Record<string, number>,
  ) {
    super(store);
  }

  override async reserve(request: ReserveRequest): Promise<ReserveResult> {
    const result = await this.store.reserve(request);
    if (result.ok) this.audit('reserve', result.counters);
    return result;
  }

  override async commit(request: CommitRequest): Promise<CommitResult> {
    const result = await this.store.commit(request);
    if (result.recorded && (request.record.overrun > 0 || request.reservationId === undefined))
      this.unreserved.push(request.record);
    this.audit('commit', result.counters);
    return result;
  }

  override async readCounters(keys: readonly CounterKey[], now: number): Promise<CounterState[]> {
    const states = await this.store.readCounters(keys, now);
    this.audit('read', states);
    return states;
  }

  override async listCounters(query: CounterListQuery): Promise<CounterState[]> {
    const states = await this.store.listCounters(query);
    this.audit('read', states);
    return states;
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
