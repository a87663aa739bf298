import type { AlertThresholds } from '../alerts/alert-level';
import type { Period } from '../budget/period';
import type { NanoUsd } from '../money/money';
import type { ServiceType } from '../usage';

/**
 * One budget's counter for one scope value and one period, e.g.
 * `{ budgetId: 'per-user', scope: 'user:u-42', period: 'day:2026-11-29' }`.
 * Every part is a validated string before it reaches a store.
 */
export interface CounterKey {
  readonly budgetId: string;
  readonly scope: string;
  readonly period: string;
}

export interface CounterLimit extends CounterKey {
  /** What may be committed plus reserved on this counter (the limit less the safety buffer). */
  readonly capacity: NanoUsd;
  /** When the period ends (ms since epoch); a store may drop the counter some time after. */
  readonly periodEnd: number;
}

/** A counter to charge on commit, with the day (in the budget's time zone) the charge lands on. */
export interface CounterCharge extends CounterKey {
  readonly day: string;
}

export interface CounterState extends CounterKey {
  readonly committed: NanoUsd;
  /** Held by reservations whose lease has not passed. */
  readonly reserved: NanoUsd;
}

/** One reservation's hold on a counter, as the store keeps it. */
export interface HoldState {
  readonly reservationId: string;
  /** nano-USD held on this counter. */
  readonly amount: NanoUsd;
  /** When the hold's lease passes (ms since epoch). */
  readonly expiresAt: number;
}

/** A reservation to take on every counter of a call, or on none. */
export interface ReserveRequest {
  readonly reservationId: string;
  readonly amount: NanoUsd;
  readonly counters: readonly CounterLimit[];
  readonly leaseMs: number;
  readonly now: number;
}

/** The reservation taken, or the counter that refused it and what it could still take. */
export type ReserveResult =
  | {
      readonly ok: true;
      readonly expiresAt: number;
      /** Each counter's state right after the reservation was taken (it includes this reservation). */
      readonly counters: readonly CounterState[];
    }
  | {
      readonly ok: false;
      /** The first counter that could not take the amount. */
      readonly refusedBy: CounterKey;
      /** What that counter could still take: capacity − committed − reserved (may be negative). */
      readonly available: NanoUsd;
    };

/** What is persisted of one call. No prompt, no response text, no API key. */
export interface UsageRecord {
  readonly requestId: string;
  /** ms since epoch */
  readonly timestamp: number;
  /** The report day (YYYY-MM-DD) in the budget manager's report time zone. */
  readonly day: string;
  readonly provider: string;
  /** The model as the app called it (`gpt-4o-2024-08-06`, `claude-3-5-haiku-20241022`). */
  readonly model: string;
  /** The model the provider says served the call, when it names another one (a dated id for an alias). */
  readonly servedModel?: string;
  /**
   * The catalog id the call was priced with (`gpt-4o` for `gpt-4o-2024-08-06`); the model
   * itself when a fallback price was charged. Records written before v2 have it equal to `model`.
   */
  readonly catalogModel: string;
  readonly service: ServiceType;
  readonly requestType: string;
  readonly userId?: string;
  readonly projectId?: string;
  readonly tags: readonly string[];
  /** nano-USD */
  readonly cost: NanoUsd;
  /** What was reserved for the call (0 when it was recorded without a reservation). */
  readonly reserved: NanoUsd;
  /** Cost above the reservation, when the estimate was too low. */
  readonly overrun: NanoUsd;
  /** The usage was reconstructed (stream ended early, no usage reported), not read from the provider. */
  readonly estimated: boolean;
  readonly priceSource: string;
  readonly inputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly outputTokens: number;
  readonly reasoningTokens: number;
  readonly audioMilliseconds: number;
  readonly characters: number;
  readonly images: number;
  readonly pages: number;
  /**
   * The provider's usage block as JSON, when it could not be trusted and the record was rebuilt
   * from local counts (`estimated`): kept for audit, at most `MAX_RAW_USAGE_LENGTH` characters (a
   * longer one is cut and ends with `…`). Absent otherwise.
   */
  readonly rawUsage?: string;
}

/** The longest `UsageRecord.rawUsage` a store keeps. */
export const MAX_RAW_USAGE_LENGTH = 1_024;

/** One call's record to write and the counters to charge, settling its reservation in the same step. */
export interface CommitRequest {
  /** The reservation this commit settles, released in the same step; absent for plain recording. */
  readonly reservationId?: string;
  readonly record: UsageRecord;
  readonly counters: readonly CounterCharge[];
  readonly now: number;
}

/** Whether a commit wrote its record, and the charged counters' states right after it. */
export interface CommitResult {
  readonly recorded: boolean;
  readonly counters: readonly CounterState[];
}

/** The dimensions reports group by. */
export const ROLLUP_DIMENSIONS = [
  'day',
  'provider',
  'model',
  'catalogModel',
  'service',
  'requestType',
  'userId',
  'projectId',
] as const;
/** One of `ROLLUP_DIMENSIONS`. */
export type RollupDimension = (typeof ROLLUP_DIMENSIONS)[number];

/** The sums every daily rollup row keeps. */
export const ROLLUP_MEASURES = [
  'cost',
  'requests',
  'inputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'outputTokens',
  'reasoningTokens',
  'audioMilliseconds',
  'characters',
  'images',
  'pages',
  'estimatedRequests',
] as const;
/** One of `ROLLUP_MEASURES`. */
export type RollupMeasure = (typeof ROLLUP_MEASURES)[number];

/**
 * A daily rollup row: the sums of every record with the same day and dimensions.
 * Missing user or project ids are stored as the empty string.
 */
export type RollupRow = Record<RollupDimension, string> & Record<RollupMeasure, number>;

/** Which daily rollup rows to read: a range of days and exact dimension filters. */
export interface RollupQuery {
  /** Inclusive day keys (YYYY-MM-DD). */
  readonly fromDay: string;
  readonly toDay: string;
  /** Exact-match filters on dimensions. */
  readonly where?: Partial<Record<Exclude<RollupDimension, 'day'>, string>>;
}

/**
 * A budget as an app defined it, with every default filled in and every amount in nano-USD.
 * Saved in the store so that whoever opens the store (the CLI, a dashboard, another
 * instance) sees the limits the app enforces.
 */
export interface BudgetDefinition {
  readonly id: string;
  readonly limitNano: NanoUsd;
  readonly period: Period;
  readonly timeZone: string;
  /** `global`, `user`, `project`, `tag` or a custom attribute key. */
  readonly scope: string;
  readonly scopeValue?: string;
  readonly thresholds: Readonly<AlertThresholds>;
  /** What must stay unspent: remaining − cost ≥ buffer. */
  readonly bufferNano: NanoUsd;
  /** The largest single call at RED and at CRITICAL; an absent level has no cap. */
  readonly perCallCapsNano: { readonly red?: NanoUsd; readonly critical?: NanoUsd };
  /** The report time zone of the app that saved it: the zone of the days of its records and rollups. */
  readonly reportTimeZone?: string;
}

export interface StoredBudgetDefinition extends BudgetDefinition {
  /** When an app last saved this definition (ms since epoch). */
  readonly definedAt: number;
}

/** The counters of one budget in one period that have spend, a page at a time in scope order. */
export interface CounterListQuery {
  readonly budgetId: string;
  /** The period key, e.g. `day:2026-11-29`. */
  readonly period: string;
  /** Only scopes after this one (the last scope of the previous page). */
  readonly afterScope?: string;
  /** 1–1,000. */
  readonly limit: number;
  readonly now: number;
}

/** A record's place in time order: by timestamp, then by request id. */
export interface RecordPosition {
  readonly timestamp: number;
  readonly requestId: string;
}

/** Records in time order (timestamp, then request id), a page at a time. */
export interface RecordQuery {
  /** Inclusive, ms since epoch. */
  readonly from?: number;
  /** Exclusive, ms since epoch. */
  readonly to?: number;
  /** Exact-match filters. */
  readonly where?: Partial<Record<Exclude<RollupDimension, 'day'>, string>>;
  /** Only records after this position (the last record of the previous page). */
  readonly after?: RecordPosition;
  /** 1–1,000. */
  readonly limit: number;
}

/** One counter's daily spend over an inclusive range of days. */
export interface DailySpendQuery {
  readonly budgetId: string;
  readonly scope: string;
  readonly fromDay: string;
  readonly toDay: string;
}

/**
 * The storage contract every store implements (MemoryStore, SqliteStore, MongoStore).
 *
 * - `reserve` is atomic across all counters: either every counter takes the amount
 *   or none does. A reservation holds budget until it is committed, released, or its
 *   lease passes; an expired reservation stops counting.
 * - `commit` is idempotent by `record.requestId`: delivering the same record again
 *   charges nothing and writes nothing. It releases the reservation in the same step.
 * - Reads never scan records: counters and daily rollups are maintained on commit.
 * - v2 adds the budget definitions (`saveBudgets`, `readBudgets`), the counters of a
 *   period (`listCounters`) and records in time order (`readRecords`), each read a page
 *   at a time through an index, so a page costs the same however much history there is.
 * - v2 optional: a new counter made with spend (`seedCounter`), for a budget new to the store.
 * - v2 optional: the holds on one counter (`readHolds`). A store without it keeps the
 *   contract; what needs it (leases per instance in a status) is then not shown.
 */
export interface BudgetStore {
  readonly specificationVersion: 'v2';
  /** Takes `amount` on every counter, or on none when one of them cannot take it. */
  reserve(request: ReserveRequest): Promise<ReserveResult>;
  /**
   * `recorded` is false when a record with this request id already exists (nothing was
   * charged). `counters` are the charged counters' states right after this commit, so
   * a caller can tell which alert thresholds this very commit crossed.
   */
  commit(request: CommitRequest): Promise<CommitResult>;
  /** Frees a reservation's hold. Releasing an unknown or expired reservation is a no-op. */
  release(reservationId: string, now: number): Promise<void>;
  /** The counters' committed and still-reserved amounts at `now` (0 for a counter never charged). */
  readCounters(keys: readonly CounterKey[], now: number): Promise<CounterState[]>;
  /**
   * The holds on one counter whose lease has not passed at `now`, in reservation id order.
   * Optional: a store without it cannot show leases per instance.
   */
  readHolds?(key: CounterKey, now: number): Promise<HoldState[]>;
  /**
   * Makes the counter, with `committed` spend and nothing reserved, when it does not exist yet;
   * true when it made it. A counter that exists (charged, reserved or made before) stays as it is.
   * Optional: a budget new to the store then starts at $0 in its period (and is warned about).
   */
  seedCounter?(counter: CounterLimit, committed: NanoUsd, now: number): Promise<boolean>;
  /** One counter's committed spend per day over an inclusive range of days, for projections. */
  readDailySpend(query: DailySpendQuery): Promise<{ day: string; cost: NanoUsd }[]>;
  /** The daily rollup rows in an inclusive range of days, filtered by exact dimension values. */
  queryRollups(query: RollupQuery): Promise<RollupRow[]>;
  /** The record of one request, or `undefined` when none was committed. */
  getRecord(requestId: string): Promise<UsageRecord | undefined>;
  /**
   * Records in (timestamp, request id) order from `after` (exclusive) or `from`, before `to`,
   * at most `limit`. Reads an index in that order: a page costs O(limit) without filters.
   */
  readRecords(query: RecordQuery): Promise<UsageRecord[]>;
  /** Counters of one budget and period with committed spend, in scope order, at most `limit`. */
  listCounters(query: CounterListQuery): Promise<CounterState[]>;
  /** Saves each definition by id (replacing one saved before) with `definedAt: now`; others stay. */
  saveBudgets(definitions: readonly BudgetDefinition[], now: number): Promise<void>;
  /** Every saved definition, by id. */
  readBudgets(): Promise<StoredBudgetDefinition[]>;
  /** Idempotent. */
  close(): Promise<void>;
}
