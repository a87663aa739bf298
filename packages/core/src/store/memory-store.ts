import type { NanoUsd } from '../money/money';
import type {
  BudgetStore,
  CommitRequest,
  CommitResult,
  CounterKey,
  CounterState,
  DailySpendQuery,
  ROLLUP_DIMENSIONS,
  ReserveRequest,
  ReserveResult,
  RollupQuery,
  RollupRow,
  UsageRecord,
} from './store-contract';
import { rollupKeyOf, rollupRowOf, addToRollupRow } from './rollup-row';

interface Counter {
  committed: NanoUsd;
  reserved: NanoUsd;
  periodEnd: number;
}

interface Reservation {
  amount: NanoUsd;
  expiresAt: number;
  counterIds: string[];
}

/**
 * The reference store: everything in process memory. Reserve and commit touch one
 * counter per budget and one rollup row, so their cost does not grow with history.
 */
export class MemoryStore implements BudgetStore {
  readonly specificationVersion = 'v1' as const;
  private readonly counters = new Map<string, Counter>();
  private readonly reservations = new Map<string, Reservation>();
  private readonly records = new Map<string, UsageRecord>();
  private readonly rollups = new Map<string, RollupRow>();
  private readonly dailySpend = new Map<string, Map<string, NanoUsd>>();
  private earliestExpiry = Number.POSITIVE_INFINITY;

  async reserve(request: ReserveRequest): Promise<ReserveResult> {
    this.expireReservations(request.now);
    const existing = this.reservations.get(request.reservationId);
    if (existing) {
      return { ok: true, expiresAt: existing.expiresAt, counters: this.statesOf(request.counters) };
    }
    const counterIds: string[] = [];
    for (const limit of request.counters) {
      const id = counterIdOf(limit);
      const counter = this.counters.get(id);
      const available = limit.capacity - (counter?.committed ?? 0) - (counter?.reserved ?? 0);
      if (request.amount > available) {
        return { ok: false, refusedBy: keyOf(limit), available };
      }
      counterIds.push(id);
    }
    const states = request.counters.map((limit, index) => {
      const id = counterIds[index]!;
      const counter = this.counters.get(id) ?? { committed: 0, reserved: 0, periodEnd: limit.periodEnd };
      counter.reserved += request.amount;
      this.counters.set(id, counter);
      return stateOf(limit, counter);
    });
    const expiresAt = request.now + request.leaseMs;
    this.reservations.set(request.reservationId, { amount: request.amount, expiresAt, counterIds });
    this.earliestExpiry = Math.min(this.earliestExpiry, expiresAt);
    return { ok: true, expiresAt, counters: states };
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    if (request.reservationId !== undefined) this.dropReservation(request.reservationId);
    const { record } = request;
    if (this.records.has(record.requestId))
      return { recorded: false, counters: this.statesOf(request.counters) };
    this.records.set(record.requestId, record);
    for (const charge of request.counters) {
      const id = counterIdOf(charge);
      const counter = this.counters.get(id) ?? {
        committed: 0,
        reserved: 0,
        periodEnd: Number.POSITIVE_INFINITY,
      };
      counter.committed += record.cost;
      this.counters.set(id, counter);
      const scopeId = scopeIdOf(charge);
      const days = this.dailySpend.get(scopeId) ?? new Map<string, NanoUsd>();
      days.set(charge.day, (days.get(charge.day) ?? 0) + record.cost);
      this.dailySpend.set(scopeId, days);
    }
    const rollupKey = rollupKeyOf(record);
    const row = this.rollups.get(rollupKey);
    if (row) addToRollupRow(row, record);
    else this.rollups.set(rollupKey, rollupRowOf(record));
    return { recorded: true, counters: this.statesOf(request.counters) };
  }

  async release(reservationId: string): Promise<void> {
    this.dropReservation(reservationId);
  }

  async readCounters(keys: readonly CounterKey[], now: number): Promise<CounterState[]> {
    this.expireReservations(now);
    return this.statesOf(keys);
  }

  private statesOf(keys: readonly CounterKey[]): CounterState[] {
    return keys.map((key) => stateOf(key, this.counters.get(counterIdOf(key))));
  }

  async readDailySpend(query: DailySpendQuery): Promise<{ day: string; cost: NanoUsd }[]> {
    const days = this.dailySpend.get(scopeIdOf(query));
    if (!days) return [];
    return [...days]
      .filter(([day]) => day >= query.fromDay && day <= query.toDay)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([day, cost]) => ({ day, cost }));
  }

  async queryRollups(query: RollupQuery): Promise<RollupRow[]> {
    const rows: RollupRow[] = [];
    const filters = Object.entries(query.where ?? {}).filter(([, value]) => value !== undefined);
    for (const row of this.rollups.values()) {
      if (row.day < query.fromDay || row.day > query.toDay) continue;
      if (
        filters.every(([dimension, value]) => row[dimension as (typeof ROLLUP_DIMENSIONS)[number]] === value)
      ) {
        rows.push({ ...row });
      }
    }
    return rows;
  }

  async getRecord(requestId: string): Promise<UsageRecord | undefined> {
    return this.records.get(requestId);
  }

  async close(): Promise<void> {}

  private dropReservation(reservationId: string): void {
    const reservation = this.reservations.get(reservationId);
    if (!reservation) return;
    this.reservations.delete(reservationId);
    for (const id of reservation.counterIds) {
      const counter = this.counters.get(id);
      if (counter) counter.reserved -= reservation.amount;
    }
  }

  /** Expired leases stop counting. Only runs when the earliest lease has passed. */
  private expireReservations(now: number): void {
    if (now < this.earliestExpiry) return;
    let next = Number.POSITIVE_INFINITY;
    for (const [id, reservation] of this.reservations) {
      if (reservation.expiresAt <= now) this.dropReservation(id);
      else next = Math.min(next, reservation.expiresAt);
    }
    this.earliestExpiry = next;
  }
}

function counterIdOf(key: CounterKey): string {
  return `${key.budgetId}\u0000${key.scope}\u0000${key.period}`;
}

function scopeIdOf(key: { budgetId: string; scope: string }): string {
  return `${key.budgetId}\u0000${key.scope}`;
}

function stateOf(key: CounterKey, counter: Counter | undefined): CounterState {
  return {
    budgetId: key.budgetId,
    scope: key.scope,
    period: key.period,
    committed: counter?.committed ?? 0,
    reserved: counter?.reserved ?? 0,
  };
}

function keyOf(key: CounterKey): CounterKey {
  return { budgetId: key.budgetId, scope: key.scope, period: key.period };
}
