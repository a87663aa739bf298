import type { NanoUsd } from '../money/money';
import { RecordTimeline } from './record-timeline';
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
  ROLLUP_DIMENSIONS,
  RecordQuery,
  ReserveRequest,
  ReserveResult,
  RollupQuery,
  RollupRow,
  StoredBudgetDefinition,
  UsageRecord,
} from './store-contract';
import { addToRollupRow, isRollupRowOf, rollupKeyOf, rollupRowOf } from './rollup-row';

interface Counter {
  committed: NanoUsd;
  reserved: NanoUsd;
  periodEnd: number;
}

/** Everything kept for one scope of one budget: a counter per period, and spend per day. */
interface ScopeLedger {
  readonly counters: Map<string, Counter>;
  readonly dailySpend: Map<string, NanoUsd>;
}

interface Reservation {
  readonly amount: NanoUsd;
  readonly expiresAt: number;
  readonly counters: Counter[];
}

/**
 * The reference store: everything in process memory. Reserve and commit touch one
 * counter per budget and one rollup row, found through maps keyed by the ids as given
 * (no key is built per call), so their cost does not grow with history.
 */
export class MemoryStore implements BudgetStore {
  readonly specificationVersion = 'v2' as const;
  /** budget id → scope → ledger */
  private readonly ledgers = new Map<string, Map<string, ScopeLedger>>();
  private readonly reservations = new Map<string, Reservation>();
  private readonly records = new Map<string, UsageRecord>();
  private readonly timeline = new RecordTimeline();
  private readonly budgets = new Map<string, StoredBudgetDefinition>();
  private readonly rollups = new Map<string, RollupRow>();
  /** Consecutive records mostly add to the same row: it is compared before a key is built. */
  private lastRollup: RollupRow | undefined;
  /** The counters one commit charged, reused by every commit (a commit does not wait in between). */
  private readonly charged: Counter[] = [];
  private earliestExpiry = Number.POSITIVE_INFINITY;

  async reserve(request: ReserveRequest): Promise<ReserveResult> {
    this.expireReservations(request.now);
    const existing = this.reservations.get(request.reservationId);
    if (existing) {
      return { ok: true, expiresAt: existing.expiresAt, counters: this.statesOf(request.counters) };
    }
    const limits = request.counters;
    // Counters are found once; one that does not exist yet is made only when the reservation fits.
    const counters: (Counter | undefined)[] = new Array(limits.length);
    for (let index = 0; index < limits.length; index++) {
      const limit = limits[index]!;
      const counter = this.findCounter(limit);
      const available = limit.capacity - (counter?.committed ?? 0) - (counter?.reserved ?? 0);
      if (request.amount > available) {
        return { ok: false, refusedBy: keyOf(limit), available };
      }
      counters[index] = counter;
    }
    const states: CounterState[] = new Array(limits.length);
    for (let index = 0; index < limits.length; index++) {
      const limit = limits[index]!;
      const counter = counters[index] ?? this.counterFor(limit, limit.periodEnd);
      counters[index] = counter;
      counter.reserved += request.amount;
      states[index] = stateOf(limit, counter);
    }
    const expiresAt = request.now + request.leaseMs;
    this.reservations.set(request.reservationId, {
      amount: request.amount,
      expiresAt,
      counters: counters as Counter[],
    });
    if (expiresAt < this.earliestExpiry) this.earliestExpiry = expiresAt;
    return { ok: true, expiresAt, counters: states };
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    if (request.reservationId !== undefined) this.dropReservation(request.reservationId);
    const { record } = request;
    if (this.records.has(record.requestId))
      return { recorded: false, counters: this.statesOf(request.counters) };
    this.records.set(record.requestId, record);
    this.timeline.add(record);
    const charges = request.counters;
    const counters = this.charged;
    for (let index = 0; index < charges.length; index++) {
      const charge = charges[index]!;
      const ledger = this.ledgerFor(charge);
      const counter = counterIn(ledger, charge.period, Number.POSITIVE_INFINITY);
      counter.committed += record.cost;
      ledger.dailySpend.set(charge.day, (ledger.dailySpend.get(charge.day) ?? 0) + record.cost);
      counters[index] = counter;
    }
    this.addToRollup(record);
    // States after every charge: two charges to one counter both report its final total.
    const states: CounterState[] = new Array(charges.length);
    for (let index = 0; index < charges.length; index++)
      states[index] = stateOf(charges[index]!, counters[index]);
    return { recorded: true, counters: states };
  }

  async seedCounter(counter: CounterLimit, committed: NanoUsd): Promise<boolean> {
    if (this.findCounter(counter)) return false;
    this.counterFor(counter, counter.periodEnd).committed = committed;
    return true;
  }

  async release(reservationId: string): Promise<void> {
    this.dropReservation(reservationId);
  }

  async readCounters(keys: readonly CounterKey[], now: number): Promise<CounterState[]> {
    this.expireReservations(now);
    return this.statesOf(keys);
  }

  /**
   * Walks every reservation not yet dropped: no index leads from a counter to the reservations
   * holding it, so that reserve, commit and release do no extra work. A read for status, not on
   * a call's path.
   */
  async readHolds(key: CounterKey, now: number): Promise<HoldState[]> {
    const counter = this.findCounter(key);
    if (!counter) return [];
    const holds: HoldState[] = [];
    for (const [reservationId, reservation] of this.reservations) {
      if (reservation.expiresAt <= now) continue;
      // A counter named twice in one reserve took the amount twice.
      let times = 0;
      for (const held of reservation.counters) if (held === counter) times++;
      if (times > 0)
        holds.push({ reservationId, amount: reservation.amount * times, expiresAt: reservation.expiresAt });
    }
    return holds.sort((a, b) => (a.reservationId < b.reservationId ? -1 : 1));
  }

  async readDailySpend(query: DailySpendQuery): Promise<{ day: string; cost: NanoUsd }[]> {
    const days = this.ledgers.get(query.budgetId)?.get(query.scope)?.dailySpend;
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

  async readRecords(query: RecordQuery): Promise<UsageRecord[]> {
    return this.timeline.page(query);
  }

  /** Walks the budget's scopes: the in-process store keeps no index by period. */
  async listCounters(query: CounterListQuery): Promise<CounterState[]> {
    this.expireReservations(query.now);
    const states: CounterState[] = [];
    for (const [scope, ledger] of this.ledgers.get(query.budgetId) ?? []) {
      if (query.afterScope !== undefined && scope <= query.afterScope) continue;
      const counter = ledger.counters.get(query.period);
      if (counter && counter.committed > 0) states.push(stateOf({ ...query, scope }, counter));
    }
    return states.sort((a, b) => (a.scope < b.scope ? -1 : 1)).slice(0, query.limit);
  }

  async saveBudgets(definitions: readonly BudgetDefinition[], now: number): Promise<void> {
    for (const definition of definitions) {
      this.budgets.set(definition.id, {
        ...definition,
        thresholds: { ...definition.thresholds },
        perCallCapsNano: { ...definition.perCallCapsNano },
        definedAt: now,
      });
    }
  }

  async readBudgets(): Promise<StoredBudgetDefinition[]> {
    return [...this.budgets.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  async close(): Promise<void> {}

  private statesOf(keys: readonly CounterKey[]): CounterState[] {
    const states: CounterState[] = new Array(keys.length);
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index]!;
      states[index] = stateOf(key, this.findCounter(key));
    }
    return states;
  }

  private findCounter(key: CounterKey): Counter | undefined {
    return this.ledgers.get(key.budgetId)?.get(key.scope)?.counters.get(key.period);
  }

  private counterFor(key: CounterKey, periodEnd: number): Counter {
    return counterIn(this.ledgerFor(key), key.period, periodEnd);
  }

  private ledgerFor(key: { budgetId: string; scope: string }): ScopeLedger {
    let scopes = this.ledgers.get(key.budgetId);
    if (!scopes) {
      scopes = new Map();
      this.ledgers.set(key.budgetId, scopes);
    }
    let ledger = scopes.get(key.scope);
    if (!ledger) {
      ledger = { counters: new Map(), dailySpend: new Map() };
      scopes.set(key.scope, ledger);
    }
    return ledger;
  }

  private addToRollup(record: UsageRecord): void {
    const last = this.lastRollup;
    if (last && isRollupRowOf(last, record)) {
      addToRollupRow(last, record);
      return;
    }
    const key = rollupKeyOf(record);
    let row = this.rollups.get(key);
    if (row) addToRollupRow(row, record);
    else {
      row = rollupRowOf(record);
      this.rollups.set(key, row);
    }
    this.lastRollup = row;
  }

  private dropReservation(reservationId: string): void {
    const reservation = this.reservations.get(reservationId);
    if (!reservation) return;
    this.reservations.delete(reservationId);
    for (const counter of reservation.counters) counter.reserved -= reservation.amount;
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

function counterIn(ledger: ScopeLedger, period: string, periodEnd: number): Counter {
  let counter = ledger.counters.get(period);
  if (!counter) {
    counter = { committed: 0, reserved: 0, periodEnd };
    ledger.counters.set(period, counter);
  }
  return counter;
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
