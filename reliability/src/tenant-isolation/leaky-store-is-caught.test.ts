import { type CounterKey, MemoryStore } from '@tollgate/core';
import { expect, it } from 'vitest';
import { checkTenantIsolation } from './tenant-isolation';

/** A store with a naive key scheme: every user counter is one counter, whoever the user is. */
class LeakyStore extends MemoryStore {
  private static merge<T extends CounterKey>(key: T): T {
    return key.scope.startsWith('user:') ? { ...key, scope: 'user:*' } : key;
  }
  override reserve(request: Parameters<MemoryStore['reserve']>[0]) {
    return super.reserve({ ...request, counters: request.counters.map(LeakyStore.merge) });
  }
  override commit(request: Parameters<MemoryStore['commit']>[0]) {
    return super.commit({ ...request, counters: request.counters.map(LeakyStore.merge) });
  }
  override readCounters(keys: readonly CounterKey[], now: number) {
    return super.readCounters(keys.map(LeakyStore.merge), now);
  }
}

// The isolation check must catch a store that mixes tenants up, or its "0 differences" would prove nothing.
it('catches a store that shares one counter among all users', async () => {
  await expect(
    checkTenantIsolation(() => new LeakyStore(), { runs: 30, maxCommands: 20, stores: 'shared' }),
  ).rejects.toThrow(/user/);
});
