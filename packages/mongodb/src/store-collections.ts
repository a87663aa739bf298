import type { Collection, Db } from 'mongodb';
import type { BudgetDocument } from './budget-document';
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
  readonly budgets: Collection<BudgetDocument>;
}

export const COLLECTION_NAMES = {
  counters: 'counters',
  reservations: 'reservations',
  usages: 'usages',
  dailySpend: 'daily_spend',
  rollups: 'rollups',
  budgets: 'budgets',
} as const;

/**
 * The store's collections, with the indexes its reads need (created once, on first use;
 * creating an index that exists is a no-op). Counters are read by `_id`, and a page of one
 * budget's counters in one period by scope; usages by `_id`, a page of them in time order, and by
 * reservation or completeness when a cut-off commit is looked for; budgets by `_id`.
 */
export async function openStoreCollections(db: Db, prefix: string): Promise<StoreCollections> {
  const collections: StoreCollections = {
    counters: db.collection<CounterDocument>(prefix + COLLECTION_NAMES.counters),
    reservations: db.collection<ReservationDocument>(prefix + COLLECTION_NAMES.reservations),
    usages: db.collection<UsageDocument>(prefix + COLLECTION_NAMES.usages),
    dailySpend: db.collection<DailySpendDocument>(prefix + COLLECTION_NAMES.dailySpend),
    rollups: db.collection<RollupDocument>(prefix + COLLECTION_NAMES.rollups),
    budgets: db.collection<BudgetDocument>(prefix + COLLECTION_NAMES.budgets),
  };
  await Promise.all([
    collections.rollups.createIndex({ day: 1 }),
    collections.dailySpend.createIndex({ budgetId: 1, scope: 1, day: 1 }),
    collections.reservations.createIndex({ expiresAt: 1 }),
    collections.usages.createIndex({ reservationId: 1 }),
    collections.usages.createIndex({ complete: 1, timestamp: 1 }),
    collections.usages.createIndex({ timestamp: 1, _id: 1 }),
    collections.counters.createIndex({ budgetId: 1, period: 1, scope: 1 }),
  ]);
  return collections;
}
