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
  type RecordQuery,
  type ReserveRequest,
  type ReserveResult,
  type RollupQuery,
  type RollupRow,
  StorageUnavailableError,
  type StoredBudgetDefinition,
  type UsageRecord,
  ValidationError,
  validateId,
} from '@tollgate/core';
import { type AnyBulkWriteOperation, MongoClient } from 'mongodb';
import { WITHOUT_MARKERS, findOneAndUpdateWithoutMarkers, releasedMarkersOf } from './applied-markers';
import { int64, numberOf } from './bson-number';
import { budgetDocumentOf, storedBudgetOf } from './budget-document';
import {
  BULK_WRITE_LIMITS,
  type BulkWriteLimits,
  bulkWriteChunksOf,
  detectBulkWriteMode,
  writeToCollections,
} from './bulk-write-limits';
import {
  type CounterDocument,
  type Hold,
  counterStateOf,
  expiredHoldsOf,
  holdOf,
  holdsOf,
} from './counter-document';
import { counterIdOf } from './document-id';
import { duplicateIndexesOf, isDuplicateKeyError, retryOnDuplicateKey } from './duplicate-key';
import {
  type MongoStoreOptions,
  type ResolvedMongoStoreOptions,
  resolveMongoStoreOptions,
} from './mongo-store-options';
import {
  type HeldCounters,
  type ReservationDocument,
  chargedUnderHoldOf,
  heldCountersOf,
  reservationDocumentOf,
} from './reservation-document';
import { recordPageFilterOf } from './record-page-filter';
import { rollupRowOf } from './rollup-document';
import { type StoreCollections, openStoreCollections } from './store-collections';
import { applyEffectsOfMany, applyUsageEffects } from './usage-effects';
import { openFailureOf } from './unreachable-server';
import { type UsageDocument, heldOf, isComplete, usageDocumentOf, usageRecordOf } from './usage-document';
import {
  validateBudgetDefinitions,
  validateCommitRequest,
  validateCounterKey,
  validateCounterKeys,
  validateCounterLimit,
  validateCounterListQuery,
  validateDailySpendQuery,
  validateInteger,
  validateRecordQuery,
  validateReserveRequest,
  validateRollupQuery,
} from './validate-store-input';

/** What `MongoStore.commitMany` did with each request of a batch. */
export interface CommitManyResult {
  /** For each request, in order: false when its request id had already been recorded (nothing more was charged). */
  readonly recorded: readonly boolean[];
}

/** A reservation whose lease passed is in the way at most this many times before a refusal stands. */
const MAX_TAKE_ATTEMPTS = 5;
/**
 * A hold that fits when the counter is read again is tried at most this many times in all: each
 * try lost to another instance's write to the same counter in between.
 */
const MAX_CONTENDED_TAKE_ATTEMPTS = 100;
/** A usage still not complete this long after its timestamp was left by a commit that was cut off. */
const ABANDONED_COMMIT_MS = 60_000;
/** How often one store instance looks for such usages, and how many it finishes each time. */
const ABANDONED_COMMIT_SWEEP_INTERVAL_MS = 60_000;
const ABANDONED_COMMITS_PER_SWEEP = 10;

/** What the first operation sets up: the collections, and how bulk writes can be sent to this server. */
interface OpenedStore {
  readonly collections: StoreCollections;
  readonly bulkWrites: BulkWriteLimits;
}

/**
 * A `BudgetStore` in MongoDB, so that many app instances share one budget without
 * overspending. It uses only single-document atomic operations (no transactions, no
 * sessions), so it runs on a standalone server, a replica set or a sharded cluster alike:
 *
 * - a counter document per budget, scope value and period holds its reservations
 *   (`holds`); taking one is a conditional update (`used ≤ capacity − amount`);
 * - a reservation over several counters is a compensated sequence: when a counter
 *   refuses, the holds already taken are removed again, in reverse order;
 * - a usage document's `_id` is its request id, and it is written before anything is
 *   charged: a second delivery is a duplicate key, and finishes what the first one did not;
 * - every effect of a usage (counter charge, daily spend, rollup) is guarded by a marker on
 *   its own document, so that finishing a commit again never charges it twice;
 * - reports read daily rollup documents kept with `$inc`, never the usage documents.
 */
export class MongoStore implements BudgetStore {
  readonly specificationVersion = 'v2' as const;
  private readonly options: ResolvedMongoStoreOptions;
  private ownedClient: MongoClient | undefined;
  private opening: Promise<OpenedStore> | undefined;
  private closing: Promise<void> | undefined;
  private nextAbandonedCommitSweep = 0;

  constructor(options: MongoStoreOptions) {
    this.options = resolveMongoStoreOptions(options);
  }

  async reserve(input: ReserveRequest): Promise<ReserveResult> {
    const request = validateReserveRequest(input);
    const collections = await this.collections();
    await this.finishAbandonedCommits(collections, request.now);
    const counterIds = request.counters.map(counterIdOf);
    const hold = holdOf(request.reservationId, request.amount, request.now + request.leaseMs);
    try {
      await collections.reservations.insertOne(
        reservationDocumentOf(request.reservationId, hold, counterIds),
      );
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // The same reservation asked for again: it is already held.
      const existing = await collections.reservations.findOne({ _id: request.reservationId });
      return {
        ok: true,
        expiresAt: existing ? numberOf(existing.expiresAt) : hold.expiresAt,
        counters: await this.readStates(collections, request.counters, request.now),
      };
    }
    const taken: string[] = [];
    const states: CounterState[] = [];
    try {
      for (const [index, limit] of request.counters.entries()) {
        const counterId = counterIds[index]!;
        const outcome = await this.takeHold(collections, counterId, limit, hold, request.now);
        if (!outcome.ok) {
          await this.giveBack(collections, taken, hold);
          await collections.reservations.deleteOne({ _id: request.reservationId });
          return { ok: false, refusedBy: keyOf(limit), available: outcome.available };
        }
        taken.push(counterId);
        states.push(outcome.state);
        await this.reclaimExpiredQuietly(collections, counterId, outcome.document, request.now);
      }
    } catch (error) {
      // Best effort: a hold that cannot be given back now is reclaimed when its lease passes.
      await this.giveBack(collections, taken, hold).catch(() => {});
      await collections.reservations.deleteOne({ _id: request.reservationId }).catch(() => {});
      throw error;
    }
    return { ok: true, expiresAt: hold.expiresAt, counters: states };
  }

  async commit(input: CommitRequest): Promise<CommitResult> {
    const request = validateCommitRequest(input);
    const collections = await this.collections();
    await this.finishAbandonedCommits(collections, request.now);
    // Read before the usage is written: the usage says which counters it charges under the hold.
    const reservation =
      request.reservationId === undefined
        ? null
        : await collections.reservations.findOne({ _id: request.reservationId });
    const usage = usageDocumentOf(
      request,
      chargedUnderHoldOf(reservation, request.counters.map(counterIdOf), request.now),
    );
    if (!(await this.insertUsage(collections, usage))) {
      await this.finishRedelivery(collections, request);
      return { recorded: false, counters: await this.readStates(collections, request.counters, request.now) };
    }
    const charged = await this.finishCommit(collections, usage, reservation, 'first');
    const counters = await Promise.all(
      request.counters.map(async (charge, index) => {
        const counterId = counterIdOf(charge);
        // null: a reclaimer or a replay charged it first; the counter as it is now.
        const document =
          charged[index] ??
          (await collections.counters.findOne({ _id: counterId }, { projection: WITHOUT_MARKERS }));
        await this.reclaimExpiredQuietly(collections, counterId, document, request.now);
        return counterStateOf(charge, document, request.now, request.reservationId);
      }),
    );
    return { recorded: true, counters };
  }

  /**
   * Records many calls with a few unordered bulk writes (records, counters, daily spend,
   * rollups) instead of several round trips each: for imports, backfills and high-volume
   * recording. Idempotency holds as in `commit`: a request id that is already recorded,
   * or repeated within the batch, is a duplicate key inside the bulk insert and charges
   * nothing more (a recorded request whose commit was cut off before all its effects is
   * finished). The reservations named are released. It returns no counter states, so it
   * raises no per-call alerts.
   */
  async commitMany(input: readonly CommitRequest[]): Promise<CommitManyResult> {
    if (!Array.isArray(input)) throw new ValidationError({ field: 'requests', message: 'must be an array' });
    const requests = input.map((request, index) => validateCommitRequest(request, `requests[${index}]`));
    if (requests.length === 0) return { recorded: [] };
    const { collections, bulkWrites } = await this.opened();
    const usages = requests.map((request) => usageDocumentOf(request));
    const reservationIds = [
      ...new Set(
        requests.flatMap((request) => (request.reservationId === undefined ? [] : [request.reservationId])),
      ),
    ];
    const [duplicates, reservations] = await Promise.all([
      this.insertUsages(collections, usages),
      reservationIds.length === 0
        ? []
        : collections.reservations.find({ _id: { $in: reservationIds } }).toArray(),
    ]);
    const recorded = requests.map((_, index) => !duplicates.has(index));
    const inserted = usages.filter((_, index) => recorded[index]);
    const insertedIds = new Set(inserted.map((usage) => usage._id));
    const repeatedIds = [
      ...new Set(usages.filter((_, index) => !recorded[index]).map((usage) => usage._id)),
    ].filter((id) => !insertedIds.has(id));
    // Recorded before by a commit that was cut off: finished one by one, as a replay would.
    const unfinished =
      repeatedIds.length === 0
        ? []
        : await collections.usages.find({ _id: { $in: repeatedIds }, complete: false }).toArray();

    await applyEffectsOfMany(collections, inserted, bulkWrites);
    const held = reservations
      .filter((reservation) => typeof reservation._id === 'string')
      .map(heldCountersOf);
    await this.releaseHoldsInBulk(collections, held, bulkWrites);
    await writeToCollections(bulkWrites, [
      () => markComplete(collections, [...insertedIds], bulkWrites),
      async () => {
        if (held.length > 0)
          await collections.reservations.deleteMany({ _id: { $in: held.map(({ hold }) => hold.id) } });
      },
    ]);
    await this.finishCommits(collections, unfinished);
    return { recorded };
  }

  /** Makes the counter with `committed` spend when no document has its id; true when it made it. */
  async seedCounter(input: CounterLimit, spend: NanoUsd, now: number): Promise<boolean> {
    const counter = validateCounterLimit(input, 'counter');
    const committed = validateInteger(spend, 'committed', { min: 0 });
    validateInteger(now, 'now', { min: 0 });
    const collections = await this.collections();
    try {
      const result = await collections.counters.updateOne(
        { _id: counterIdOf(counter) },
        {
          $setOnInsert: {
            ...newCounterOf(counter, committed),
            capacity: counter.capacity,
            periodEnd: counter.periodEnd,
          },
        },
        { upsert: true },
      );
      return result.upsertedCount === 1;
    } catch (error) {
      // Another instance made the counter a moment earlier.
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async release(reservationId: string, now: number): Promise<void> {
    const id = validateId(reservationId, 'reservationId');
    validateInteger(now, 'now', { min: 0 });
    const collections = await this.collections();
    const reservation = await collections.reservations.findOneAndDelete({ _id: id });
    if (!reservation) return;
    const { hold, counterIds } = heldCountersOf(reservation);
    await this.releaseHolds(collections, counterIds, hold);
  }

  async readCounters(input: readonly CounterKey[], now: number): Promise<CounterState[]> {
    const keys = validateCounterKeys(input, 'keys');
    validateInteger(now, 'now', { min: 0 });
    const collections = await this.collections();
    await this.finishAbandonedCommits(collections, now);
    return this.readStates(collections, keys, now);
  }

  /**
   * The holds of the counter's document whose lease has not passed, by reservation id: one read
   * by `_id`, of `holds` only. Holds whose lease passed are left for a write to reclaim.
   */
  async readHolds(input: CounterKey, now: number): Promise<HoldState[]> {
    const key = validateCounterKey(input, 'key');
    validateInteger(now, 'now', { min: 0 });
    const collections = await this.collections();
    const document = await collections.counters.findOne(
      { _id: counterIdOf(key) },
      { projection: { holds: 1 } },
    );
    return holdsOf(document)
      .filter((hold) => hold.expiresAt > now)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((hold) => ({ reservationId: hold.id, amount: hold.amount, expiresAt: hold.expiresAt }));
  }

  async readDailySpend(input: DailySpendQuery): Promise<{ day: string; cost: NanoUsd }[]> {
    const query = validateDailySpendQuery(input);
    const collections = await this.collections();
    const documents = await collections.dailySpend
      .find(
        { budgetId: query.budgetId, scope: query.scope, day: { $gte: query.fromDay, $lte: query.toDay } },
        { sort: { day: 1 }, projection: WITHOUT_MARKERS },
      )
      .toArray();
    return documents.map((document) => ({ day: String(document.day), cost: numberOf(document.cost) }));
  }

  async queryRollups(input: RollupQuery): Promise<RollupRow[]> {
    const query = validateRollupQuery(input);
    // Rows written before the catalog model was a dimension have none (it is their model), so it
    // is filtered here, on the rows of the day range read by index.
    const { catalogModel, ...where } = query.where ?? {};
    const collections = await this.collections();
    const documents = await collections.rollups
      .find({ day: { $gte: query.fromDay, $lte: query.toDay }, ...where }, { projection: WITHOUT_MARKERS })
      .toArray();
    const rows = documents.map(rollupRowOf);
    return catalogModel === undefined ? rows : rows.filter((row) => row.catalogModel === catalogModel);
  }

  async readRecords(input: RecordQuery): Promise<UsageRecord[]> {
    const query = validateRecordQuery(input);
    const collections = await this.collections();
    const documents = await collections.usages
      .find(recordPageFilterOf(query), {
        sort: { timestamp: 1, _id: 1 },
        limit: query.limit,
        hint: { timestamp: 1, _id: 1 },
      })
      .toArray();
    return documents.map(usageRecordOf);
  }

  async listCounters(input: CounterListQuery): Promise<CounterState[]> {
    const query = validateCounterListQuery(input);
    const collections = await this.collections();
    const documents = await collections.counters
      .find(
        {
          budgetId: query.budgetId,
          period: query.period,
          scope: { $gt: query.afterScope ?? '' },
          committed: { $gt: 0 },
        },
        { sort: { scope: 1 }, limit: query.limit, projection: WITHOUT_MARKERS },
      )
      .toArray();
    return documents.map((document) =>
      counterStateOf(
        { budgetId: query.budgetId, scope: String(document.scope), period: query.period },
        document,
        query.now,
      ),
    );
  }

  async saveBudgets(input: readonly BudgetDefinition[], now: number): Promise<void> {
    const definitions = validateBudgetDefinitions(input, 'definitions');
    validateInteger(now, 'now', { min: 0 });
    if (definitions.length === 0) return;
    const collections = await this.collections();
    await collections.budgets.bulkWrite(
      definitions.map((definition) => {
        const document = budgetDocumentOf(definition, now);
        return { replaceOne: { filter: { _id: document._id }, replacement: document, upsert: true } };
      }),
      { ordered: false },
    );
  }

  async readBudgets(): Promise<StoredBudgetDefinition[]> {
    const collections = await this.collections();
    const documents = await collections.budgets.find({}, { sort: { _id: 1 } }).toArray();
    return documents.map(storedBudgetOf);
  }

  async getRecord(requestId: string): Promise<UsageRecord | undefined> {
    const id = validateId(requestId, 'requestId');
    const collections = await this.collections();
    const document = await collections.usages.findOne({ _id: id });
    return document ? usageRecordOf(document) : undefined;
  }

  /**
   * Closes the client the store created from `uri`; a client passed in stays open. Idempotent.
   * It does not wait for a first connect still looking for a server, which lasts the client's
   * whole `serverSelectionTimeoutMS` when the server cannot be reached: closing the store's own
   * client ends it at once, and the operations waiting for it reject with
   * `StorageUnavailableError`. With a client passed in, they wait for that client as before.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const client = this.ownedClient;
      if (!client) return;
      await client.close();
      // Ended by the close: its cleanup is over before close() resolves.
      await this.opening?.catch(() => {});
    })();
    return this.closing;
  }

  private async collections(): Promise<StoreCollections> {
    return (await this.opened()).collections;
  }

  /** Connects, creates the indexes and learns how to send bulk writes on first use, not in the constructor. */
  private opened(): Promise<OpenedStore> {
    if (this.closing) return Promise.reject(new StorageUnavailableError('The MongoStore is closed.'));
    this.opening ??= this.open().catch((error) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  private async open(): Promise<OpenedStore> {
    const { options } = this;
    let client = options.client;
    if (!client) {
      this.ownedClient = new MongoClient(options.uri!, options.clientOptions);
      client = this.ownedClient;
    }
    try {
      await client.connect();
      // Closed while a client passed in was connecting: nothing more is done with it.
      if (this.closing) throw new StorageUnavailableError('The MongoStore is closed.');
      const db = client.db(options.dbName, {
        writeConcern: options.writeConcern,
        readPreference: 'primary',
      });
      const [collections, bulkWriteMode] = await Promise.all([
        openStoreCollections(db, options.collectionPrefix),
        options.bulkWrites ?? detectBulkWriteMode(db),
      ]);
      return { collections, bulkWrites: BULK_WRITE_LIMITS[bulkWriteMode] };
    } catch (error) {
      if (this.ownedClient) {
        await this.ownedClient.close().catch(() => {});
        this.ownedClient = undefined;
      }
      if (this.closing && !StorageUnavailableError.isInstance(error))
        throw new StorageUnavailableError('The MongoStore is closed.', { cause: error });
      throw openFailureOf(error, client);
    }
  }

  /** Puts the hold on one counter if the amount still fits, creating the counter on first use. */
  private async takeHold(
    collections: StoreCollections,
    counterId: string,
    limit: CounterLimit,
    hold: Hold,
    now: number,
  ): Promise<
    { ok: true; state: CounterState; document: CounterDocument } | { ok: false; available: NanoUsd }
  > {
    const highestUsed = limit.capacity - hold.amount;
    let available = limit.capacity;
    let expiredInTheWay = 0;
    for (
      let attempt = 0;
      attempt < MAX_CONTENDED_TAKE_ATTEMPTS && expiredInTheWay < MAX_TAKE_ATTEMPTS;
      attempt++
    ) {
      if (highestUsed >= 0) {
        const taken = await findOneAndUpdateWithoutMarkers(
          collections.counters,
          { _id: counterId, used: { $lte: highestUsed }, 'holds.id': { $ne: hold.id } },
          {
            $inc: { reserved: int64(hold.amount), used: int64(hold.amount) },
            $push: { holds: hold },
            $set: { capacity: limit.capacity, periodEnd: limit.periodEnd },
          },
        );
        if (taken) return { ok: true, state: counterStateOf(limit, taken, now), document: taken };
      }
      const current = await collections.counters.findOne({ _id: counterId }, { projection: WITHOUT_MARKERS });
      if (!current) {
        if (highestUsed < 0) return { ok: false, available: limit.capacity };
        await this.createCounter(collections, counterId, limit);
        continue;
      }
      if (holdsOf(current).some((existing) => existing.id === hold.id))
        return { ok: true, state: counterStateOf(limit, current, now), document: current };
      const state = counterStateOf(limit, current, now);
      available = limit.capacity - state.committed - state.reserved;
      if (available < hold.amount) return { ok: false, available };
      // It fits once expired holds are gone, or others gave budget back meanwhile: try again.
      if (expiredHoldsOf(current, now).length > 0) expiredInTheWay++;
      await this.reclaimExpired(collections, counterId, current, now);
    }
    return { ok: false, available };
  }

  private async createCounter(collections: StoreCollections, counterId: string, key: CounterKey) {
    await retryOnDuplicateKey(() =>
      collections.counters.updateOne(
        { _id: counterId },
        { $setOnInsert: newCounterOf(key, 0) },
        { upsert: true },
      ),
    );
  }

  /**
   * Everything a recorded usage still needs, in an order that keeps a cut at any point
   * recoverable: its effects (each applied at most once; the counters charged under the
   * reservation's hold are released by their charge), then the reservation's other holds given
   * back, then the usage marked complete and the reservation document deleted. Resolves to the
   * charged counters as right after their charges (none when the usage was complete).
   */
  private async finishCommit(
    collections: StoreCollections,
    usage: UsageDocument,
    reservation: ReservationDocument | null,
    delivery: 'first' | 'again',
  ): Promise<(CounterDocument | null)[]> {
    const complete = isComplete(usage);
    const charged = complete ? [] : await applyUsageEffects(collections, usage, delivery);
    if (reservation) {
      // After the charges: a hold given back earlier would free budget the charge then takes.
      const { hold, counterIds } = heldCountersOf(reservation);
      const chargedUnderHold = heldOf(usage)?.counterIds ?? [];
      const left = counterIds.filter((counterId) => !chargedUnderHold.includes(counterId));
      await this.releaseHolds(collections, left, hold);
    }
    await Promise.all([
      complete ? undefined : collections.usages.updateOne({ _id: usage._id }, { $set: { complete: true } }),
      reservation ? collections.reservations.deleteOne({ _id: reservation._id }) : undefined,
    ]);
    return charged;
  }

  /** Finishes usages recorded by commits that were cut off (see `finishCommit`), one after the other. */
  private async finishCommits(collections: StoreCollections, usages: readonly UsageDocument[]) {
    const reservationIds = usages.flatMap((usage) =>
      typeof usage.reservationId === 'string' ? [usage.reservationId] : [],
    );
    const reservations =
      reservationIds.length === 0
        ? []
        : await collections.reservations.find({ _id: { $in: reservationIds } }).toArray();
    const byId = new Map(reservations.map((reservation) => [reservation._id, reservation]));
    for (const usage of usages) {
      const reservation =
        typeof usage.reservationId === 'string' ? (byId.get(usage.reservationId) ?? null) : null;
      await this.finishCommit(collections, usage, reservation, 'again');
    }
  }

  /**
   * A request id recorded before: a replay, or a second delivery. The first delivery may have
   * been cut off after recording it, so the stored usage is finished (what it already did is
   * not done again). A different reservation named by this delivery is released.
   */
  private async finishRedelivery(collections: StoreCollections, request: CommitRequest) {
    const stored = await collections.usages.findOne({ _id: request.record.requestId });
    if (stored) await this.finishCommits(collections, [stored]);
    if (request.reservationId !== undefined && request.reservationId !== stored?.reservationId) {
      const reservation = await collections.reservations.findOneAndDelete({ _id: request.reservationId });
      if (reservation) {
        const { hold, counterIds } = heldCountersOf(reservation);
        await this.releaseHolds(collections, counterIds, hold);
      }
    }
  }

  /**
   * A usage left incomplete by a process that died inside its commit, with no replay coming
   * and no hold of its own to lead a reclaimer to it (a recording without a reservation, or
   * one whose holds were already given back): finished once it is older than
   * ABANDONED_COMMIT_MS. Each store instance looks at most once per sweep interval, and only
   * at a few of them, so that an operation is never held up long. Reservation documents whose
   * lease passed go too (a commit cut off just before deleting its own leaves one behind).
   */
  private async finishAbandonedCommits(collections: StoreCollections, now: number): Promise<void> {
    if (now < this.nextAbandonedCommitSweep) return;
    this.nextAbandonedCommitSweep = now + ABANDONED_COMMIT_SWEEP_INTERVAL_MS;
    try {
      const abandoned = await collections.usages
        .find(
          { complete: false, timestamp: { $lte: now - ABANDONED_COMMIT_MS } },
          { limit: ABANDONED_COMMITS_PER_SWEEP },
        )
        .toArray();
      await this.finishCommits(collections, abandoned);
      await collections.reservations.deleteMany({ expiresAt: { $lte: now } });
    } catch {
      // The next sweep tries again; the operation that triggered this one goes on.
    }
  }

  private async insertUsage(collections: StoreCollections, usage: UsageDocument): Promise<boolean> {
    try {
      await collections.usages.insertOne(usage);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** The indexes of the usages that were already there (or repeated in the batch). */
  private async insertUsages(collections: StoreCollections, usages: readonly UsageDocument[]) {
    try {
      await collections.usages.insertMany([...usages], { ordered: false });
      return new Set<number>();
    } catch (error) {
      return duplicateIndexesOf(error);
    }
  }

  private async readStates(
    collections: StoreCollections,
    keys: readonly CounterKey[],
    now: number,
  ): Promise<CounterState[]> {
    if (keys.length === 0) return [];
    const ids = keys.map(counterIdOf);
    const read = () =>
      collections.counters.find({ _id: { $in: ids } }, { projection: WITHOUT_MARKERS }).toArray();
    let documents = await read();
    let finished = false;
    for (const document of documents)
      finished = (await this.reclaimExpiredQuietly(collections, document._id, document, now)) || finished;
    // Reclaiming finished a cut-off commit: the counters changed since they were read.
    if (finished) documents = await read();
    const byId = new Map(documents.map((document) => [document._id, document]));
    return keys.map((key, index) => counterStateOf(key, byId.get(ids[index]!), now));
  }

  /** Gives back the holds of many reservations, with bulk writes (see `releaseHold`). */
  private async releaseHoldsInBulk(
    collections: StoreCollections,
    held: readonly HeldCounters[],
    limits: BulkWriteLimits,
  ) {
    const releases: AnyBulkWriteOperation<CounterDocument>[] = held.flatMap(({ hold, counterIds }) =>
      counterIds.map((counterId) => ({
        updateOne: { filter: { _id: counterId, holds: { $all: [hold] } }, update: releaseUpdateOf(hold) },
      })),
    );
    for (const chunk of bulkWriteChunksOf(releases, limits))
      await collections.counters.bulkWrite(chunk, { ordered: false });
  }

  /** Undoes the holds a refused reservation had already taken, newest first. */
  private async giveBack(collections: StoreCollections, counterIds: readonly string[], hold: Hold) {
    for (const counterId of [...counterIds].reverse()) await this.releaseHold(collections, counterId, hold);
  }

  private async releaseHolds(collections: StoreCollections, counterIds: readonly string[], hold: Hold) {
    await Promise.all(counterIds.map((counterId) => this.releaseHold(collections, counterId, hold)));
  }

  /** Removes a hold and its amount together, only if the hold is still there: exactly once, whoever tries. */
  private async releaseHold(collections: StoreCollections, counterId: string, hold: Hold) {
    await collections.counters.updateOne({ _id: counterId, holds: { $all: [hold] } }, releaseUpdateOf(hold));
  }

  /**
   * Reclaiming beside a reserve, commit or read that already succeeded: if it fails, the
   * expired holds still count for nothing and the next operation on the counter tries again.
   * Resolves to whether it finished a cut-off commit (which changed counters).
   */
  private async reclaimExpiredQuietly(
    collections: StoreCollections,
    counterId: string,
    document: CounterDocument | null,
    now: number,
  ): Promise<boolean> {
    return this.reclaimExpired(collections, counterId, document, now).catch(() => false);
  }

  /**
   * Removes the holds whose lease passed (a crashed or slow process), without a TTL index.
   * A hold whose reservation has a recorded usage that is not complete belongs to a commit
   * that was cut off: that usage is finished first, so that its call is charged before its
   * hold is given back. The holds then all go in one update that only matches while every one
   * of them is still there; if another process removed one first, each is removed on its own,
   * so none is given back twice. Resolves to whether it finished a cut-off commit.
   */
  private async reclaimExpired(
    collections: StoreCollections,
    counterId: string,
    document: CounterDocument | null,
    now: number,
  ): Promise<boolean> {
    const expired = expiredHoldsOf(document, now);
    if (expired.length === 0) return false;
    const unfinished = await collections.usages
      .find({ reservationId: { $in: expired.map((hold) => hold.id) }, complete: false })
      .toArray();
    await this.finishCommits(collections, unfinished);
    const amount = expired.reduce((sum, hold) => sum + hold.amount, 0);
    const result = await collections.counters.updateOne(
      { _id: counterId, holds: { $all: expired } },
      {
        $pullAll: { holds: expired },
        $inc: { reserved: int64(-amount), used: int64(-amount) },
        $push: releasedMarkersOf(...expired.map((hold) => hold.id)),
      },
    );
    if (result.matchedCount === 0) {
      for (const hold of expired) await this.releaseHold(collections, counterId, hold);
    }
    // Reservation documents only point at holds; once their lease passed they serve nothing.
    await collections.reservations.deleteMany({ expiresAt: { $lte: now } });
    return unfinished.length > 0;
  }
}

function keyOf(key: CounterKey): CounterKey {
  return { budgetId: key.budgetId, scope: key.scope, period: key.period };
}

/** The fields of a counter made with `committed` spend and no holds (`used` = `committed`). */
function newCounterOf(key: CounterKey, committed: number) {
  return {
    ...keyOf(key),
    committed: int64(committed),
    reserved: int64(0),
    used: int64(committed),
    holds: [],
  };
}

function releaseUpdateOf(hold: Hold) {
  return {
    $pullAll: { holds: [hold] },
    $inc: { reserved: int64(-hold.amount), used: int64(-hold.amount) },
    $push: releasedMarkersOf(hold.id),
  };
}

/**
 * Marks usages complete with one update by `_id` each (in bulk writes), not one `updateMany` with
 * `$in`: on mongo-java-server that took 1.3 s for 5,000 ids in a collection of 20,000 (by `_id`:
 * about 0.2 s), and grew with the collection.
 */
async function markComplete(
  collections: StoreCollections,
  ids: readonly string[],
  limits: BulkWriteLimits,
): Promise<void> {
  for (const chunk of bulkWriteChunksOf(ids, limits))
    await collections.usages.bulkWrite(
      chunk.map((id) => ({ updateOne: { filter: { _id: id }, update: { $set: { complete: true } } } })),
      { ordered: false },
    );
}
