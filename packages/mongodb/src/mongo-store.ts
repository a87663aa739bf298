import {
  type BudgetStore,
  type CommitRequest,
  type CommitResult,
  type CounterCharge,
  type CounterKey,
  type CounterLimit,
  type CounterState,
  type DailySpendQuery,
  type NanoUsd,
  type ReserveRequest,
  type ReserveResult,
  type RollupQuery,
  type RollupRow,
  StorageUnavailableError,
  type UsageRecord,
  ValidationError,
  validateId,
} from '@tollgate/core';
import { type AnyBulkWriteOperation, MongoClient } from 'mongodb';
import { int64, numberOf } from './bson-number';
import {
  type CounterDocument,
  type Hold,
  counterStateOf,
  expiredHoldsOf,
  holdOf,
  holdsOf,
} from './counter-document';
import type { DailySpendDocument } from './daily-spend-document';
import { counterIdOf, dailySpendIdOf, rollupIdOf } from './document-id';
import {
  bulkWriteUnordered,
  duplicateIndexesOf,
  isDuplicateKeyError,
  retryOnDuplicateKey,
} from './duplicate-key';
import {
  type MongoStoreOptions,
  type ResolvedMongoStoreOptions,
  resolveMongoStoreOptions,
} from './mongo-store-options';
import { heldCountersOf, reservationDocumentOf } from './reservation-document';
import {
  type RollupDocument,
  type RollupMeasures,
  addRollupMeasures,
  rollupDimensionsOf,
  rollupIncrementOf,
  rollupMeasuresOf,
  rollupRowOf,
} from './rollup-document';
import { type StoreCollections, openStoreCollections } from './store-collections';
import { usageDocumentOf, usageRecordOf } from './usage-document';
import {
  validateCommitRequest,
  validateCounterKeys,
  validateDailySpendQuery,
  validateInteger,
  validateReserveRequest,
  validateRollupQuery,
} from './validate-store-input';

export interface CommitManyResult {
  /** For each request, in order: false when its request id had already been recorded (nothing was charged). */
  readonly recorded: readonly boolean[];
}

/** A reservation whose lease passed is in the way at most this many times before a refusal stands. */
const MAX_TAKE_ATTEMPTS = 5;

/**
 * A `BudgetStore` in MongoDB, so that many app instances share one budget without
 * overspending. It uses only single-document atomic operations (no transactions, no
 * sessions), so it runs on a standalone server, a replica set or a sharded cluster alike:
 *
 * - a counter document per budget, scope value and period holds its reservations
 *   (`holds`); taking one is a conditional update (`used ≤ capacity − amount`);
 * - a reservation over several counters is a compensated sequence: when a counter
 *   refuses, the holds already taken are removed again, in reverse order;
 * - a usage document's `_id` is its request id: a second delivery is a duplicate key,
 *   never a second charge;
 * - reports read daily rollup documents kept with `$inc`, never the usage documents.
 */
export class MongoStore implements BudgetStore {
  readonly specificationVersion = 'v1' as const;
  private readonly options: ResolvedMongoStoreOptions;
  private ownedClient: MongoClient | undefined;
  private opening: Promise<StoreCollections> | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: MongoStoreOptions) {
    this.options = resolveMongoStoreOptions(options);
  }

  async reserve(input: ReserveRequest): Promise<ReserveResult> {
    const request = validateReserveRequest(input);
    const collections = await this.collections();
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
    const { record } = request;
    const [recorded, reservation] = await Promise.all([
      this.insertUsage(collections, record),
      request.reservationId === undefined
        ? null
        : collections.reservations.findOneAndDelete({ _id: request.reservationId }),
    ]);
    const held = reservation ? heldCountersOf(reservation) : undefined;
    if (!recorded) {
      if (held) await this.releaseHolds(collections, held.counterIds, held.hold);
      return { recorded: false, counters: await this.readStates(collections, request.counters, request.now) };
    }
    const chargedIds = request.counters.map(counterIdOf);
    const [counters] = await Promise.all([
      Promise.all(
        request.counters.map((charge, index) =>
          this.charge(collections, chargedIds[index]!, charge, record.cost, held, request.now),
        ),
      ),
      held
        ? this.releaseHolds(
            collections,
            held.counterIds.filter((id) => !chargedIds.includes(id)),
            held.hold,
          )
        : undefined,
      this.addDailySpend(collections, request.counters, record.cost),
      retryOnDuplicateKey(() =>
        collections.rollups.updateOne(
          { _id: rollupIdOf(record) },
          {
            $inc: rollupIncrementOf(rollupMeasuresOf(record)),
            $setOnInsert: rollupDimensionsOf(record),
          },
          { upsert: true },
        ),
      ),
    ]);
    return { recorded: true, counters };
  }

  /**
   * Records many calls with a few unordered bulk writes (records, counters, daily spend,
   * rollups) instead of several round trips each: for imports, backfills and high-volume
   * recording. Idempotency holds as in `commit`: a request id that is already recorded,
   * or repeated within the batch, is a duplicate key inside the bulk insert and charges
   * nothing. The reservations named are released. It returns no counter states (a batch
   * charges each counter once with the batch's sum), so it raises no per-call alerts.
   */
  async commitMany(input: readonly CommitRequest[]): Promise<CommitManyResult> {
    if (!Array.isArray(input)) throw new ValidationError({ field: 'requests', message: 'must be an array' });
    const requests = input.map((request, index) => validateCommitRequest(request, `requests[${index}]`));
    if (requests.length === 0) return { recorded: [] };
    const collections = await this.collections();
    const reservationIds = [
      ...new Set(
        requests.flatMap((request) => (request.reservationId === undefined ? [] : [request.reservationId])),
      ),
    ];
    const [duplicates, reservations] = await Promise.all([
      this.insertUsages(
        collections,
        requests.map((request) => request.record),
      ),
      reservationIds.length === 0
        ? []
        : collections.reservations.find({ _id: { $in: reservationIds } }).toArray(),
    ]);
    const held = reservations
      .filter((reservation) => typeof reservation._id === 'string')
      .map(heldCountersOf);
    if (held.length > 0)
      await collections.reservations.deleteMany({ _id: { $in: held.map(({ hold }) => hold.id) } });

    const charges = new Map<string, { key: CounterKey; cost: NanoUsd }>();
    const dailySpend = new Map<string, { budgetId: string; scope: string; day: string; cost: NanoUsd }>();
    const rollups = new Map<string, { record: UsageRecord; measures: RollupMeasures }>();
    const recorded = requests.map((_, index) => !duplicates.has(index));
    for (const [index, request] of requests.entries()) {
      if (!recorded[index]) continue;
      const { record } = request;
      for (const charge of request.counters) {
        const counterId = counterIdOf(charge);
        const counter = charges.get(counterId) ?? { key: keyOf(charge), cost: 0 };
        counter.cost += record.cost;
        charges.set(counterId, counter);
        const dayId = dailySpendIdOf(charge);
        const day = dailySpend.get(dayId) ?? {
          budgetId: charge.budgetId,
          scope: charge.scope,
          day: charge.day,
          cost: 0,
        };
        day.cost += record.cost;
        dailySpend.set(dayId, day);
      }
      const rollupId = rollupIdOf(record);
      const rollup = rollups.get(rollupId);
      if (rollup) addRollupMeasures(rollup.measures, rollupMeasuresOf(record));
      else rollups.set(rollupId, { record, measures: rollupMeasuresOf(record) });
    }

    const counterOperations: AnyBulkWriteOperation<CounterDocument>[] = [
      ...[...charges].map(([counterId, { key, cost }]) => ({
        updateOne: { filter: { _id: counterId }, update: chargeUpdateOf(key, cost), upsert: true },
      })),
      ...held.flatMap(({ hold, counterIds }) =>
        counterIds.map((counterId) => ({
          updateOne: { filter: { _id: counterId, holds: { $all: [hold] } }, update: releaseUpdateOf(hold) },
        })),
      ),
    ];
    const dailyOperations: AnyBulkWriteOperation<DailySpendDocument>[] = [...dailySpend].map(([id, day]) => ({
      updateOne: {
        filter: { _id: id },
        update: {
          $inc: { cost: int64(day.cost) },
          $setOnInsert: { budgetId: day.budgetId, scope: day.scope, day: day.day },
        },
        upsert: true,
      },
    }));
    const rollupOperations: AnyBulkWriteOperation<RollupDocument>[] = [...rollups].map(
      ([id, { record, measures }]) => ({
        updateOne: {
          filter: { _id: id },
          update: { $inc: rollupIncrementOf(measures), $setOnInsert: rollupDimensionsOf(record) },
          upsert: true,
        },
      }),
    );
    await Promise.all([
      bulkWriteUnordered(collections.counters, counterOperations),
      bulkWriteUnordered(collections.dailySpend, dailyOperations),
      bulkWriteUnordered(collections.rollups, rollupOperations),
    ]);
    return { recorded };
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
    return this.readStates(await this.collections(), keys, now);
  }

  async readDailySpend(input: DailySpendQuery): Promise<{ day: string; cost: NanoUsd }[]> {
    const query = validateDailySpendQuery(input);
    const collections = await this.collections();
    const documents = await collections.dailySpend
      .find(
        { budgetId: query.budgetId, scope: query.scope, day: { $gte: query.fromDay, $lte: query.toDay } },
        { sort: { day: 1 } },
      )
      .toArray();
    return documents.map((document) => ({ day: String(document.day), cost: numberOf(document.cost) }));
  }

  async queryRollups(input: RollupQuery): Promise<RollupRow[]> {
    const query = validateRollupQuery(input);
    const collections = await this.collections();
    const documents = await collections.rollups
      .find({ day: { $gte: query.fromDay, $lte: query.toDay }, ...query.where })
      .toArray();
    return documents.map(rollupRowOf);
  }

  async getRecord(requestId: string): Promise<UsageRecord | undefined> {
    const id = validateId(requestId, 'requestId');
    const collections = await this.collections();
    const document = await collections.usages.findOne({ _id: id });
    return document ? usageRecordOf(document) : undefined;
  }

  /** Closes the client the store created from `uri`; a client passed in stays open. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.opening?.catch(() => {});
      await this.ownedClient?.close();
    })();
    return this.closing;
  }

  /** Connects and creates the indexes on first use, not in the constructor. */
  private collections(): Promise<StoreCollections> {
    if (this.closing) return Promise.reject(new StorageUnavailableError('The MongoStore is closed.'));
    this.opening ??= this.open().catch((error) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  private async open(): Promise<StoreCollections> {
    const { options } = this;
    let client = options.client;
    if (!client) {
      this.ownedClient = new MongoClient(options.uri!, options.clientOptions);
      client = this.ownedClient;
    }
    try {
      await client.connect();
      const db = client.db(options.dbName, {
        writeConcern: options.writeConcern,
        readPreference: 'primary',
      });
      return await openStoreCollections(db, options.collectionPrefix);
    } catch (error) {
      if (this.ownedClient) {
        await this.ownedClient.close().catch(() => {});
        this.ownedClient = undefined;
      }
      throw error;
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
    for (let attempt = 0; attempt < MAX_TAKE_ATTEMPTS; attempt++) {
      if (highestUsed >= 0) {
        const taken = await collections.counters.findOneAndUpdate(
          { _id: counterId, used: { $lte: highestUsed }, 'holds.id': { $ne: hold.id } },
          {
            $inc: { reserved: int64(hold.amount), used: int64(hold.amount) },
            $push: { holds: hold },
            $set: { capacity: limit.capacity, periodEnd: limit.periodEnd },
          },
          { returnDocument: 'after' },
        );
        if (taken) return { ok: true, state: counterStateOf(limit, taken, now), document: taken };
      }
      const current = await collections.counters.findOne({ _id: counterId });
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
      await this.reclaimExpired(collections, counterId, current, now);
    }
    return { ok: false, available };
  }

  private async createCounter(collections: StoreCollections, counterId: string, key: CounterKey) {
    await retryOnDuplicateKey(() =>
      collections.counters.updateOne(
        { _id: counterId },
        {
          $setOnInsert: {
            ...keyOf(key),
            committed: int64(0),
            reserved: int64(0),
            used: int64(0),
            holds: [],
          },
        },
        { upsert: true },
      ),
    );
  }

  /** Charges one counter and, when this commit's reservation holds it, removes the hold in the same update. */
  private async charge(
    collections: StoreCollections,
    counterId: string,
    charge: CounterCharge,
    cost: NanoUsd,
    held: { hold: Hold; counterIds: string[] } | undefined,
    now: number,
  ): Promise<CounterState> {
    let document: CounterDocument | null = null;
    if (held?.counterIds.includes(counterId)) {
      const { hold } = held;
      document = await collections.counters.findOneAndUpdate(
        { _id: counterId, holds: { $all: [hold] } },
        {
          $inc: {
            committed: int64(cost),
            reserved: int64(-hold.amount),
            used: int64(cost - hold.amount),
          },
          $pullAll: { holds: [hold] },
        },
        { returnDocument: 'after' },
      );
    }
    // No hold (plain recording, or the lease passed and the hold was reclaimed): charge only.
    document ??= await retryOnDuplicateKey(() =>
      collections.counters.findOneAndUpdate({ _id: counterId }, chargeUpdateOf(charge, cost), {
        upsert: true,
        returnDocument: 'after',
      }),
    );
    const state = counterStateOf(charge, document, now);
    await this.reclaimExpiredQuietly(collections, counterId, document, now);
    return state;
  }

  private async addDailySpend(
    collections: StoreCollections,
    charges: readonly CounterCharge[],
    cost: NanoUsd,
  ) {
    await bulkWriteUnordered(
      collections.dailySpend,
      charges.map((charge) => ({
        updateOne: {
          filter: { _id: dailySpendIdOf(charge) },
          update: {
            $inc: { cost: int64(cost) },
            $setOnInsert: { budgetId: charge.budgetId, scope: charge.scope, day: charge.day },
          },
          upsert: true,
        },
      })),
    );
  }

  private async insertUsage(collections: StoreCollections, record: UsageRecord): Promise<boolean> {
    try {
      await collections.usages.insertOne(usageDocumentOf(record));
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** The indexes of the records that were already there (or repeated in the batch). */
  private async insertUsages(collections: StoreCollections, records: readonly UsageRecord[]) {
    try {
      await collections.usages.insertMany(records.map(usageDocumentOf), { ordered: false });
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
    const documents = await collections.counters.find({ _id: { $in: ids } }).toArray();
    const byId = new Map(documents.map((document) => [document._id, document]));
    for (const document of documents)
      await this.reclaimExpiredQuietly(collections, document._id, document, now);
    return keys.map((key, index) => counterStateOf(key, byId.get(ids[index]!), now));
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
   */
  private async reclaimExpiredQuietly(
    collections: StoreCollections,
    counterId: string,
    document: CounterDocument | null,
    now: number,
  ): Promise<void> {
    await this.reclaimExpired(collections, counterId, document, now).catch(() => {});
  }

  /**
   * Removes the holds whose lease passed (a crashed or slow process), without a TTL index.
   * All of them go in one update that only matches while every one of them is still there;
   * if another process removed one first, each is removed on its own, so none is given
   * back twice.
   */
  private async reclaimExpired(
    collections: StoreCollections,
    counterId: string,
    document: CounterDocument | null,
    now: number,
  ): Promise<void> {
    const expired = expiredHoldsOf(document, now);
    if (expired.length === 0) return;
    const amount = expired.reduce((sum, hold) => sum + hold.amount, 0);
    const result = await collections.counters.updateOne(
      { _id: counterId, holds: { $all: expired } },
      { $pullAll: { holds: expired }, $inc: { reserved: int64(-amount), used: int64(-amount) } },
    );
    if (result.matchedCount === 0) {
      for (const hold of expired) await this.releaseHold(collections, counterId, hold);
    }
    // Reservation documents only point at holds; once their lease passed they serve nothing.
    await collections.reservations.deleteMany({ expiresAt: { $lte: now } });
  }
}

function keyOf(key: CounterKey): CounterKey {
  return { budgetId: key.budgetId, scope: key.scope, period: key.period };
}

function chargeUpdateOf(key: CounterKey, cost: NanoUsd) {
  return {
    $inc: { committed: int64(cost), used: int64(cost) },
    $setOnInsert: { ...keyOf(key), reserved: int64(0), holds: [] as Hold[] },
  };
}

function releaseUpdateOf(hold: Hold) {
  return {
    $pullAll: { holds: [hold] },
    $inc: { reserved: int64(-hold.amount), used: int64(-hold.amount) },
  };
}
