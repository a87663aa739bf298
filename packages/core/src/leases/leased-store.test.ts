import { expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store';
import { T0, key, limit } from '../testing/conformance-fixtures';
import { LeasedStore } from './leased-store';
import { resolveLeaseSettings } from './lease-options';

const CAPACITY = 1_000_000;
const LEASE_MS = 60_000;

const open = (store: MemoryStore, instanceId: string) =>
  new LeasedStore(
    store,
    resolveLeaseSettings({ instanceId, flushIntervalMs: 3_600_000, idleMs: 3_600_000 }),
    () => T0,
  );

const reserve = (leased: LeasedStore, reservationId: string, amount: number) =>
  leased.reserve({ reservationId, amount, counters: [limit('app', CAPACITY)], leaseMs: LEASE_MS, now: T0 });

it('instances that start at once lease together no more than their share of the budget, so each is admitted', async () => {
  // None of them sees another's lease when it sizes its own: before, each took `share` (a
  // quarter) of the budget, so four of them leased all of it and the other four were refused
  // with the budget unspent.
  const store = new MemoryStore();
  const instances = Array.from({ length: 8 }, (_, index) => open(store, `i${index}`));
  const results = await Promise.all(
    instances.map((leased, index) => reserve(leased, `call-${index}`, 1_000)),
  );
  expect(results.map((result) => result.ok)).toEqual(instances.map(() => true));
  const holds = await store.readHolds(key('app'), T0);
  expect(holds.reduce((sum, hold) => sum + hold.amount, 0)).toBeLessThanOrEqual(0.25 * CAPACITY);
});

it("an instance's leases grow as it uses them, up to its share of what is unleased", async () => {
  const store = new MemoryStore();
  const leased = open(store, 'solo');
  const amounts: number[] = [];
  for (let call = 0; amounts.length < 12 && call < 100_000; call++) {
    expect((await reserve(leased, `call-${call}`, 1_000)).ok).toBe(true);
    await leased.flush();
    for (const lease of leased.localLeases())
      if (!amounts.includes(lease.amount) && !lease.retired) amounts.push(lease.amount);
  }
  // The first covers minCalls (4) calls; each next one is at most twice the last.
  expect(amounts[0]).toBe(4_000);
  for (let index = 1; index < amounts.length; index++)
    expect(amounts[index]).toBeLessThanOrEqual(2 * amounts[index - 1]!);
  expect(Math.max(...amounts)).toBeGreaterThan(4_000);
});

it('an instance does not refuse a call that one of its own leases has room for while calls admitted from it are in flight', async () => {
  // A lease is retired when the next one is taken, and its hold stays whole until its calls
  // end. Before, a call that the newest lease could not admit reserved its own hold, and the
  // store refused it while a retired lease of the same instance still had room for it.
  const store = new MemoryStore();
  const leased = new LeasedStore(
    store,
    resolveLeaseSettings({
      instanceId: 'solo',
      share: 0.5,
      minCalls: 1,
      flushIntervalMs: 3_600_000,
      idleMs: 3_600_000,
    }),
    () => T0,
  );
  const call = (reservationId: string) =>
    leased.reserve({
      reservationId,
      amount: 100,
      counters: [limit('app', 1_000)],
      leaseMs: LEASE_MS,
      now: T0,
    });
  let admitted = 0;
  // No call ends: each is a model call that has not returned yet.
  while ((await call(`call-${admitted}`)).ok) {
    admitted++;
    await new Promise((resolve) => setImmediate(resolve));
  }
  for (const lease of leased.localLeases()) expect(lease.free).toBeLessThan(100);
  expect(admitted).toBe(8);
});

it('a lease covers the calls that arrive at once at an instance, up to its share', async () => {
  const store = new MemoryStore();
  const leased = open(store, 'burst');
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, index) => reserve(leased, `call-${index}`, 1_000)),
  );
  expect(results.every((result) => result.ok)).toBe(true);
  // The first lease is taken for the fifty: none of them reserved a hold of its own.
  const holds = await store.readHolds(key('app'), T0);
  expect(holds.filter((hold) => !hold.reservationId.startsWith('lease~burst~'))).toEqual([]);
  expect(holds.find((hold) => /^lease~burst~[^~]+-1$/.test(hold.reservationId))?.amount).toBe(50_000);
});

it('two processes given the same instance id never share a lease: together they admit no more than the budget', async () => {
  // Processes of one host started with `instanceId: hostname()`: each takes its own lease.
  const store = new MemoryStore();
  const settings = resolveLeaseSettings({ instanceId: 'web', share: 1, minCalls: 10 });
  const processes = [0, 1].map(() => new LeasedStore(store, settings, () => T0));
  const small = limit('app', 1_000);
  const results = await Promise.all(
    processes.flatMap((leased, index) =>
      Array.from({ length: 10 }, (_, call) =>
        leased.reserve({
          reservationId: `p${index}-${call}`,
          amount: 100,
          counters: [small],
          leaseMs: LEASE_MS,
          now: T0,
        }),
      ),
    ),
  );
  expect(results.filter((result) => result.ok)).toHaveLength(10);
});
