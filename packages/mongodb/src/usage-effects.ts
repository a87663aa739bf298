import type { CounterCharge, NanoUsd, UsageRecord } from '@tollgate/core';
import { appliedMarkersOf, findOneAndUpdateWithoutMarkers, notAppliedFilterOf } from './applied-markers';
import { applyAllOnce, applyOnce } from './apply-once';
import { BULK_WRITE_LIMITS, type BulkWriteLimits, writeToCollections } from './bulk-write-limits';
import { int64 } from './bson-number';
import type { CounterDocument, Hold } from './counter-document';
import type { DailySpendDocument } from './daily-spend-document';
import { counterIdOf, dailySpendIdOf, rollupIdOf } from './document-id';
import {
  type RollupDocument,
  rollupDimensionsOf,
  rollupIncrementOf,
  rollupMeasuresOf,
} from './rollup-document';
import { applyIncrementsOnce, effectOf, type MarkedIncrement } from './marked-increments';
import type { StoreCollections } from './store-collections';
import { type UsageDocument, chargesOf, heldOf, usageRecordOf } from './usage-document';

// The effects of one recorded usage, each on its own document and each applied at most once
// (see applied-markers.ts and apply-once.ts): the charge of every counter, the daily spend of
// every counter's day, and the rollup row. Being idempotent one by one, they can be applied
// again by whoever finds the usage not complete (a replay, a reclaimer, the pass over abandoned
// commits), in any order.

function counterIncrementOf(charge: CounterCharge, cost: NanoUsd, requestId: string): MarkedIncrement {
  return {
    id: counterIdOf(charge),
    requestId,
    increments: { committed: int64(cost), used: int64(cost) },
    onInsert: {
      budgetId: charge.budgetId,
      scope: charge.scope,
      period: charge.period,
      reserved: int64(0),
      holds: [] as Hold[],
    },
  };
}

function dailySpendIncrementOf(charge: CounterCharge, cost: NanoUsd, requestId: string): MarkedIncrement {
  return {
    id: dailySpendIdOf(charge),
    requestId,
    increments: { cost: int64(cost) },
    onInsert: { budgetId: charge.budgetId, scope: charge.scope, day: charge.day },
  };
}

function rollupIncrementOfRecord(record: UsageRecord): MarkedIncrement {
  return {
    id: rollupIdOf(record),
    requestId: record.requestId,
    increments: rollupIncrementOf(rollupMeasuresOf(record)),
    onInsert: rollupDimensionsOf(record),
  };
}

/**
 * Applies every effect of one usage that is not applied yet, and resolves to each charged
 * counter right after this usage's charge (null where it had been charged before).
 *
 * A counter the usage charges under its reservation's hold (`usage.held`) is charged and
 * released in one update that only matches while the hold is there: the hold shows whether the
 * charge was made however long ago the commit was cut off, where the markers only remember the
 * last commits. Once the hold is gone, a later delivery or a reclaimer leaves that counter alone.
 * Only the first delivery, which has not charged it yet, then falls back to the marker (the hold
 * was taken back early; whoever charged it meanwhile left the marker). Every other effect goes by
 * its marker.
 */
export async function applyUsageEffects(
  collections: StoreCollections,
  usage: UsageDocument,
  delivery: 'first' | 'again',
): Promise<(CounterDocument | null)[]> {
  const record = usageRecordOf(usage);
  const charges = chargesOf(usage);
  const held = heldOf(usage);
  const rollup = effectOf<RollupDocument>(rollupIncrementOfRecord(record));
  const [counters] = await Promise.all([
    Promise.all(
      charges.map(async (charge) => {
        const counterId = counterIdOf(charge);
        if (held?.counterIds.includes(counterId)) {
          const document = await findOneAndUpdateWithoutMarkers(
            collections.counters,
            { ...notAppliedFilterOf(counterId, record.requestId), holds: { $all: [held.hold] } },
            chargeAndReleaseUpdateOf(record.cost, held.hold, record.requestId),
          );
          if (document) return document;
          // Again, with the hold gone: this commit charged under it before it was cut off, unless
          // the hold was given back without a charge (the caller released it, or its lease passed
          // before a reclaimer could see this usage); then the charge is still to be made.
          if (delivery === 'again' && !(await wasReleased(collections, counterId, held.hold.id))) return null;
        }
        const { filter, update } = effectOf<CounterDocument>(
          counterIncrementOf(charge, record.cost, record.requestId),
        );
        return applyOnce(() =>
          findOneAndUpdateWithoutMarkers(collections.counters, filter, update, { upsert: true }),
        );
      }),
    ),
    applyAllOnce(
      collections.dailySpend,
      charges.map((charge) =>
        effectOf<DailySpendDocument>(dailySpendIncrementOf(charge, record.cost, record.requestId)),
      ),
      // One update per counter of one usage: a bulk write small enough for any server.
      BULK_WRITE_LIMITS.serial,
    ),
    applyOnce(() => collections.rollups.updateOne(rollup.filter, rollup.update, { upsert: true })),
  ]);
  return counters;
}

async function wasReleased(
  collections: StoreCollections,
  counterId: string,
  holdId: string,
): Promise<boolean> {
  return (await collections.counters.countDocuments({ _id: counterId, released: holdId }, { limit: 1 })) > 0;
}

function chargeAndReleaseUpdateOf(cost: NanoUsd, hold: Hold, requestId: string) {
  return {
    $inc: { committed: int64(cost), reserved: int64(-hold.amount), used: int64(cost - hold.amount) },
    $pullAll: { holds: [hold] },
    $push: appliedMarkersOf(requestId),
  };
}

/**
 * The same for many usages: each document's increments summed in grouped updates (see
 * marked-increments.ts), the three collections at once or one after the other, as the limits say.
 */
export async function applyEffectsOfMany(
  collections: StoreCollections,
  usages: readonly UsageDocument[],
  limits: BulkWriteLimits,
): Promise<void> {
  const counters: MarkedIncrement[] = [];
  const dailySpend: MarkedIncrement[] = [];
  const rollups: MarkedIncrement[] = [];
  for (const usage of usages) {
    const record = usageRecordOf(usage);
    for (const charge of chargesOf(usage)) {
      counters.push(counterIncrementOf(charge, record.cost, record.requestId));
      dailySpend.push(dailySpendIncrementOf(charge, record.cost, record.requestId));
    }
    rollups.push(rollupIncrementOfRecord(record));
  }
  await writeToCollections(limits, [
    () => applyIncrementsOnce(collections.counters, counters, limits),
    () => applyIncrementsOnce(collections.dailySpend, dailySpend, limits),
    () => applyIncrementsOnce(collections.rollups, rollups, limits),
  ]);
}
