import type { Collection, Db } from 'mongodb';
import type { CounterDocument } from './counter-document';
import type { DailySpendDocument } from './daily-spend-document';
import type { ReservationDocument } from './reservation-document';
import type { RollupDocument } from './rollup-document';
import type { UsageDocument } from './usage-document';

export interface StoreCollections {
  readonly counters: Collection<CounterDocument>;
  readonly reservations: Collection<ReservationDocument>;
  readonly usages: Collection<UsageDocument>;
  readonly dailySpend: Collection<DailySpendDocument>;
  readonly rollups: Collection<RollupDocument>;
}

export const COLLECTION_NAMES = {
  counters: 'counters',
  reservations: 'reservations',
  usages: 'usages',
  dailySpend: 'daily_spend',
  rollups: 'rollups',
} as const;

/**
 * The store's collections, with the indexes its reads need (created once, on first use;
 * creating an index that exists is a no-op). Counters are only ever read by `_id`; usages by
 * `_id`, and by reservation or completeness when a cut-off commit is looked for.
 */
export async function openStoreCollections(db: Db, prefix: string): Promise<StoreCollections> {
  const collections: StoreCollections = {
    counters: db.collection<CounterDocument>(prefix + COLLECTION_NAMES.counters),
    reservations: db.collection<ReservationDocument>(prefix + COLLECTION_NAMES.reservations),
    usages: db.collection<UsageDocument>(prefix + COLLECTION_NAMES.usages),
    dailySpend: db.collection<DailySpendDocument>(prefix + COLLECTION_NAMES.dailySpend),
    rollups: db.collection<RollupDocument>(prefix + COLLECTION_NAMES.rollups),
  };
  await Promise.all([
    collections.rollups.createIndex({ day: 1 }),
    collections.dailySpend.createIndex({ budgetId: 1, scope: 1, day: 1 }),
    collections.reservations.createIndex({ expiresAt: 1 }),
    collections.usages.createIndex({ reservationId: 1 }),
    collections.usages.createIndex({ complete: 1, timestamp: 1 }),
  ]);
  return collections;
}
