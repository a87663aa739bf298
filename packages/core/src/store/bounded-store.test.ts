import { describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '../errors/storage-unavailable-error';
import { BoundedStore } from './bounded-store';
import { MemoryStore } from './memory-store';
import type { BudgetStore } from './store-contract';

const NOW = Date.UTC(2026, 10, 29, 12);
const KEY = { budgetId: 'app', scope: 'global', period: 'month:2026-11' };

describe('BoundedStore.readHolds', () => {
  it("is the store's holds", async () => {
    const store = new MemoryStore();
    await store.reserve({
      reservationId: 'lease~i-1~1',
      amount: 500,
      counters: [{ ...KEY, capacity: 1_000, periodEnd: NOW + 86_400_000 }],
      leaseMs: 60_000,
      now: NOW,
    });
    expect(await new BoundedStore(store, 1_000).readHolds(KEY, NOW)).toEqual([
      { reservationId: 'lease~i-1~1', amount: 500, expiresAt: NOW + 60_000 },
    ]);
    expect(await new BoundedStore(store, 1_000).readHolds({ ...KEY, scope: 'user:u-1' }, NOW)).toEqual([]);
  });

  it('is undefined, not empty, for a store without readHolds', async () => {
    const store = new MemoryStore();
    const withoutHolds: BudgetStore = Object.assign(Object.create(store), { readHolds: undefined });
    expect(await new BoundedStore(withoutHolds, 1_000).readHolds(KEY, NOW)).toBeUndefined();
  });

  it("turns the store's own failure into a StorageUnavailableError", async () => {
    const store = new MemoryStore();
    store.readHolds = () => Promise.reject(new Error('connection reset'));
    await expect(new BoundedStore(store, 1_000).readHolds(KEY, NOW)).rejects.toSatisfy(
      StorageUnavailableError.isInstance,
    );
  });
});
