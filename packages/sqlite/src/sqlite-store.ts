import {
  type BudgetDefinition,
  type BudgetStore,
  type CommitRequest,
  type CommitResult,
  type CounterKey,
  type CounterLimit,
  type CounterListQuery,
  type CounterState,
  type DailySpendQuery,
  type HoldState,
  type NanoUsd,
  ROLLUP_DIMENSIONS,
  type RecordQuery,
  type ReserveRequest,
  type ReserveResult,
  type RollupQuery,
  type RollupRow,
  StorageUnavailableError,
  type StoredBudgetDefinition,
  TollgateError,
  type UsageRecord,
  ValidationError,
  validateBudgetDefinition,
} from '@tollgate/core';
import type { Database, Transaction } from 'better-sqlite3';
import { describeOpenFailure } from './describe-open-failure';
import { openSqliteDatabase } from './open-sqlite-database';
import { migrateSchema } from './sqlite-schema-migrations';
import {
  type FilterParameters,
  type RecordParameters,
  type RollupParameters,
  type SqliteStatements,
  prepareSqliteStatements,
} from './sqlite-statements';
import { type SqliteStoreOptions, resolveSqliteStoreOptions } from './sqlite-store-options';
import { usageRecordFromRow, usageRecordToRow } from './usage-record-row';

const FILTER_DIMENSIONS: ReadonlySet<string> = new Set(
  ROLLUP_DIMENSIONS.filter((dimension) => dimension !== 'day'),
);

/**
 * The embedded, persistent `BudgetStore`: one SQLite file that several processes on one
 * machine can share. Every write is one `BEGIN IMMEDIATE` transaction, so a reserve's
 * check and take cannot interleave with another process's; reads of reports come from
 * rollup tables maintained on commit, never from the records.
 */
export class SqliteStore implements BudgetStore {
  readonly specificationVersion = 'v2' as const;
  readonly path: string;
  private readonly busyTimeoutMs: number;
  private readonly database: Database;
  private readonly statements: SqliteStatements;
  private readonly transactions: {
    reserve: Transaction<(request: ReserveRequest) => ReserveResult>;
    commit: Transaction<(request: CommitRequest) => CommitResult>;
    commitMany: Transaction<(requests: readonly CommitRequest[]) => CommitResult[]>;
    release: Transaction<(reservationId: string, now: number) => void>;
    readWithoutExpired: Transaction<(keys: readonly CounterKey[], now: number) => CounterState[] | undefined>;
    reclaimAndRead: Transaction<(keys: readonly CounterKey[], now: number) => CounterState[]>;
    saveBudgets: Transaction<(definitions: readonly BudgetDefinition[], now: number) => void>;
  };
  private closed = false;

  constructor(options: SqliteStoreOptions) {
    const resolved = resolveSqliteStoreOptions(options);
    this.path = resolved.path;
    this.busyTimeoutMs = resolved.busyTimeoutMs;
    try {
      this.database = openSqliteDatabase(resolved);
    } catch (error) {
      throw new StorageUnavailableError(describeOpenFailure(this.path, error), { cause: error });
    }
    try {
      migrateSchema(this.database);
      this.statements = prepareSqliteStatements(this.database);
    } catch (error) {
      this.database.close();
      if (TollgateError.isInstance(error)) throw error;
      throw new StorageUnavailableError(describeOpenFailure(this.path, error), { cause: error });
    }
    const database = this.database;
    this.transactions = {
      reserve: database.transaction((request: ReserveRequest) => this.reserveNow(request)),
      commit: database.transaction((request: CommitRequest) => this.commitNow(request)),
      commitMany: database.transaction((requests: readonly CommitRequest[]) =>
        requests.map((request) => this.commitNow(request)),
      ),
      release: database.transaction((reservationId: string, now: number) => {
        this.reclaimExpired(now);
        this.dropReservation(reservationId);
      }),
      readWithoutExpired: database.transaction((keys: readonly CounterKey[], now: number) =>
        this.statements.hasExpiredReservation.get(now) ? undefined : this.statesOf(keys),
      ),
      reclaimAndRead: database.transaction((keys: readonly CounterKey[], now: number) => {
        this.reclaimExpired(now);
        return this.statesOf(keys);
      }),
      saveBudgets: database.transaction((definitions: readonly BudgetDefinition[], now: number) => {
        for (const definition of definitions)
          this.statements.upsertBudget.run({
            id: definition.id,
            definition: JSON.stringify(definition),
            definedAt: now,
          });
      }),
    };
  }

  async reserve(request: ReserveRequest): Promise<ReserveResult> {
    return this.run('reserve', () => this.transactions.reserve.immediate(request));
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    return this.run('commit', () => this.transactions.commit.immediate(request));
  }

  /**
   * Commits many requests in one transaction (all or none), each exactly as `commit` would;
   * for bulk recording and imports, where one transaction per record is the bottleneck.
   */
  async commitMany(requests: readonly CommitRequest[]): Promise<CommitResult[]> {
    if (!Array.isArray(requests))
      throw new ValidationError({ field: 'requests', message: 'must be an array' });
    return this.run('commit', () => this.transactions.commitMany.immediate(requests));
  }

  async seedCounter(counter: CounterLimit, committed: NanoUsd): Promise<boolean> {
    const { budgetId, scope, period, periodEnd } = counter;
    return this.run(
      'seed',
      () => this.statements.seedCounter.run({ budgetId, scope, period, committed, periodEnd }).changes === 1,
    );
  }

  async release(reservationId: string, now: number): Promise<void> {
    this.run('release', () => this.transactions.release.immediate(reservationId, now));
  }

  async readCounters(keys: readonly CounterKey[], now: number): Promise<CounterState[]> {
    // A plain read takes no write lock; only when a lease has passed does the read
    // become a write that gives the expired reservations back.
    return this.run(
      'read',
      () =>
        this.transactions.readWithoutExpired.deferred(keys, now) ??
        this.transactions.reclaimAndRead.immediate(keys, now),
    );
  }

  async readHolds(key: CounterKey, now: number): Promise<HoldState[]> {
    // Holds whose lease passed are left for the next write to give back: a read takes no write lock.
    return this.run('read', () => this.statements.selectHoldsOnCounter.all({ ...keyOf(key), now }));
  }

  async readDailySpend(query: DailySpendQuery): Promise<{ day: string; cost: NanoUsd }[]> {
    return this.run('read', () =>
      this.statements.selectDailySpend.all(query.budgetId, query.scope, query.fromDay, query.toDay),
    );
  }

  async queryRollups(query: RollupQuery): Promise<RollupRow[]> {
    const parameters: RollupParameters = {
      fromDay: query.fromDay,
      toDay: query.toDay,
      ...filterParametersOf(query.where),
    };
    return this.run('read', () => this.statements.selectRollups.all(parameters) as RollupRow[]);
  }

  async readRecords(query: RecordQuery): Promise<UsageRecord[]> {
    const { after, from } = query;
    // The page starts after `after`, or at `from` when that is later: ('' sorts before any request id).
    const start =
      after !== undefined && (from === undefined || after.timestamp >= from)
        ? { afterTimestamp: after.timestamp, afterRequestId: after.requestId }
        : { afterTimestamp: from ?? -1, afterRequestId: '' };
    const parameters: RecordParameters = {
      ...start,
      to: query.to ?? Number.MAX_SAFE_INTEGER,
      limit: query.limit,
      ...filterParametersOf(query.where),
    };
    return this.run('read', () => this.statements.selectRecords.all(parameters).map(usageRecordFromRow));
  }

  async listCounters(query: CounterListQuery): Promise<CounterState[]> {
    const parameters = {
      budgetId: query.budgetId,
      period: query.period,
      afterScope: query.afterScope ?? '',
      limit: query.limit,
    };
    // As in readCounters: a lease that passed is given back first, so its hold is not listed.
    return this.run('read', () => {
      if (this.statements.hasExpiredReservation.get(query.now))
        this.transactions.reclaimAndRead.immediate([], query.now);
      return this.statements.selectCountersOfPeriod.all(parameters);
    });
  }

  async saveBudgets(definitions: readonly BudgetDefinition[], now: number): Promise<void> {
    if (!Array.isArray(definitions))
      throw new ValidationError({ field: 'definitions', message: 'must be an array' });
    const checked = definitions.map((definition, index) =>
      validateBudgetDefinition(definition, `definitions[${index}]`),
    );
    if (!Number.isSafeInteger(now) || now < 0)
      throw new ValidationError({ field: 'now', message: 'must be a time in ms since epoch' });
    this.run('write', () => this.transactions.saveBudgets.immediate(checked, now));
  }

  async readBudgets(): Promise<StoredBudgetDefinition[]> {
    return this.run('read', () =>
      this.statements.selectBudgets.all().map((row) => ({
        ...validateBudgetDefinition(JSON.parse(row.definition), 'definition'),
        definedAt: row.definedAt,
      })),
    );
  }

  async getRecord(requestId: string): Promise<UsageRecord | undefined> {
    return this.run('read', () => {
      const row = this.statements.selectRecord.get(requestId);
      return row === undefined ? undefined : usageRecordFromRow(row);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.database.pragma('optimize');
    } finally {
      this.database.close();
    }
  }

  private reserveNow(request: ReserveRequest): ReserveResult {
    this.reclaimExpired(request.now);
    const existing = this.statements.selectReservation.get(request.reservationId);
    if (existing) {
      return { ok: true, expiresAt: existing.expiresAt, counters: this.statesOf(request.counters) };
    }
    for (const limit of request.counters) {
      const state = this.statements.selectCounter.get(limit);
      const available = limit.capacity - (state?.committed ?? 0) - (state?.reserved ?? 0);
      if (request.amount > available) return { ok: false, refusedBy: keyOf(limit), available };
    }
    const expiresAt = request.now + request.leaseMs;
    this.statements.insertReservation.run(request.reservationId, request.amount, expiresAt);
    for (const limit of distinctCounters(request.counters)) {
      const key = keyOf(limit);
      this.statements.addReservedToCounter.run({
        ...key,
        amount: request.amount,
        periodEnd: limit.periodEnd,
      });
      this.statements.linkReservationToCounter.run({ ...key, reservationId: request.reservationId });
    }
    return { ok: true, expiresAt, counters: this.statesOf(request.counters) };
  }

  private commitNow(request: CommitRequest): CommitResult {
    this.reclaimExpired(request.now);
    if (request.reservationId !== undefined) this.dropReservation(request.reservationId);
    const row = usageRecordToRow(request.record);
    if (this.statements.insertRecord.run(row).changes === 0) {
      return { recorded: false, counters: this.statesOf(request.counters) };
    }
    for (const charge of distinctCounters(request.counters)) {
      this.statements.addCommittedToCounter.run({ ...keyOf(charge), cost: row.cost });
      this.statements.addDailySpend.run({
        budgetId: charge.budgetId,
        scope: charge.scope,
        day: charge.day,
        cost: row.cost,
      });
    }
    this.statements.addToRollup.run(row);
    return { recorded: true, counters: this.statesOf(request.counters) };
  }

  private dropReservation(reservationId: string): void {
    const reservation = this.statements.deleteReservation.get(reservationId);
    if (reservation) this.giveBack(reservationId, reservation.amount);
  }

  /** Expired leases stop counting; the index on `expires_at` makes the common case one probe. */
  private reclaimExpired(now: number): void {
    for (const expired of this.statements.deleteExpiredReservations.all(now)) {
      this.giveBack(expired.reservationId, expired.amount);
    }
  }

  private giveBack(reservationId: string, amount: NanoUsd): void {
    this.statements.subtractReservedFromCounters.run({ reservationId, amount });
    this.statements.unlinkReservation.run(reservationId);
  }

  private statesOf(keys: readonly CounterKey[]): CounterState[] {
    return keys.map((key) => {
      const state = this.statements.selectCounter.get(key);
      return { ...keyOf(key), committed: state?.committed ?? 0, reserved: state?.reserved ?? 0 };
    });
  }

  private run<T>(operation: string, fn: () => T): T {
    if (this.closed) throw new StorageUnavailableError(`The SqliteStore is closed (${operation}).`);
    try {
      return fn();
    } catch (error) {
      if (isLockContention(error)) {
        throw new StorageUnavailableError(
          `The SQLite database stayed locked by another connection for ${this.busyTimeoutMs} ms (${operation}).`,
          { cause: error },
        );
      }
      throw error;
    }
  }
}

function filterParametersOf(where: RollupQuery['where']): FilterParameters {
  const parameters: FilterParameters = {
    provider: null,
    model: null,
    catalogModel: null,
    service: null,
    requestType: null,
    userId: null,
    projectId: null,
  };
  for (const [dimension, value] of Object.entries(where ?? {})) {
    if (!FILTER_DIMENSIONS.has(dimension))
      throw new ValidationError({
        field: 'where',
        message: 'filters only on rollup dimensions other than day',
      });
    if (value !== undefined) parameters[dimension as keyof FilterParameters] = value;
  }
  return parameters;
}

function isLockContention(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

function keyOf(key: CounterKey): CounterKey {
  return { budgetId: key.budgetId, scope: key.scope, period: key.period };
}

/** A counter listed twice in one request is taken from (and charged) once. */
function distinctCounters<T extends CounterKey>(counters: readonly T[]): T[] {
  if (counters.length < 2) return [...counters];
  const seen = new Set<string>();
  return counters.filter((counter) => {
    const id = `${counter.budgetId}\u0000${counter.scope}\u0000${counter.period}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
