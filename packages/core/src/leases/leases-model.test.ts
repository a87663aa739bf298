import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store';
import type { CounterCharge, CounterKey, CounterLimit } from '../store/store-contract';
import { DAY, T0, record } from '../testing/conformance-fixtures';
import { LeasedStore } from './leased-store';
import { resolveLeaseSettings } from './lease-options';

// Instances that share one store and admit calls from leases, driven by random steps: calls,
// settlements, releases, flushes, crashes (an instance gone without a word, its spill file left),
// restarts from that file, leases retired and held leases passing. At every step no counter
// has admitted more than it can take, and the store never counts less than was spent; after
// recovery every settled call is charged exactly once.

const CAPACITY = 1_000_000;
const LEASE_MS = 60_000;
const MAX_AGE_MS = 30_000;
const USERS = ['a', 'b'] as const;
const directory = mkdtempSync(join(tmpdir(), 'tollgate-leases-model-'));

afterAll(() => rmSync(directory, { recursive: true, force: true }));

const globalKey: CounterKey = { budgetId: 'global', scope: 'global', period: 'month:2026-11' };
const userKey = (user: string): CounterKey => ({
  budgetId: 'per-user',
  scope: `user:${user}`,
  period: 'month:2026-11',
});
const limitOf = (key: CounterKey, capacity: number): CounterLimit => ({
  ...key,
  capacity,
  periodEnd: T0 + 30 * 86_400_000,
});
const chargeOf = (key: CounterKey): CounterCharge => ({ ...key, day: DAY });
const idOf = (key: CounterKey) => `${key.budgetId}/${key.scope}`;

type Step =
  | { kind: 'call'; instance: number; user: number; amount: number }
  | { kind: 'settle'; pick: number; costShare: number }
  | { kind: 'release'; pick: number }
  | { kind: 'flush'; instance: number }
  | { kind: 'retire'; instance: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'crash'; instance: number }
  | { kind: 'restart'; instance: number }
  | { kind: 'expire' }
  | { kind: 'writes'; down: boolean };

const INSTANCES = 3;
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('call' as const),
      instance: fc.nat(INSTANCES - 1),
      user: fc.nat(USERS.length - 1),
      amount: fc.integer({ min: 1, max: 8_000 }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('settle' as const),
      pick: fc.nat(),
      costShare: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('flush' as const), instance: fc.nat(INSTANCES - 1) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('retire' as const), instance: fc.nat(INSTANCES - 1) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 20_000 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('crash' as const), instance: fc.nat(INSTANCES - 1) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('restart' as const), instance: fc.nat(INSTANCES - 1) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'expire' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('writes' as const), down: fc.boolean() }) },
);

/** A MemoryStore whose writes of records can fail, as a store does during an outage. */
class OutageStore extends MemoryStore {
  writesDown = false;
  override async commit(...args: Parameters<MemoryStore['commit']>) {
    if (this.writesDown) throw new Error('ECONNRESET');
    return super.commit(...args);
  }
}

interface InFlight {
  readonly instance: number;
  readonly reservationId: string;
  readonly amount: number;
  readonly keys: readonly CounterKey[];
  readonly admittedAt: number;
}

it('leased instances never admit more than a budget can take, and every settled call is charged once after recovery', async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(step, { minLength: 30, maxLength: 150 }),
      fc.record({
        share: fc.double({ min: 0.05, max: 1, noNaN: true }),
        minCalls: fc.integer({ min: 1, max: 4 }),
        maxNano: fc.integer({ min: 8_000, max: 60_000 }),
      }),
      fc.integer({ min: 20_000, max: CAPACITY }),
      async (steps, leaseShape, userCapacity) => {
        run++;
        let now = T0;
        const store = new OutageStore();
        const spillOf = (instance: number) => join(directory, `run-${run}-instance-${instance}.jsonl`);
        let generation = 0;
        /** The generation (process) running as each instance now: a restart is a new one. */
        const generations: number[] = [];
        const open = (instance: number) => {
          generations[instance] = ++generation;
          return new LeasedStore(
            store,
            resolveLeaseSettings({
              instanceId: `i${instance}-${generation}`,
              share: leaseShape.share,
              minCalls: leaseShape.minCalls,
              maxUsd: leaseShape.maxNano / 1e9,
              maxAgeMs: MAX_AGE_MS,
              // The steps flush and retire: no timer runs during the test.
              flushIntervalMs: 3_600_000,
              idleMs: 3_600_000,
              path: spillOf(instance),
            }),
            () => now,
          );
        };
        const instances: (LeasedStore | undefined)[] = Array.from({ length: INSTANCES }, (_, index) =>
          open(index),
        );
        const inFlight: InFlight[] = [];
        /** Cost of every settled call, by request id, with the counters it charges. */
        const settled = new Map<
          string,
          { instance: number; generation: number; cost: number; keys: readonly CounterKey[] }
        >();
        const capacityOf = (key: CounterKey) => (key.budgetId === 'global' ? CAPACITY : userCapacity);
        let calls = 0;

        const check = async () => {
          await new Promise((resolve) => setImmediate(resolve));
          for (const key of [globalKey, ...USERS.map(userKey)]) {
            const id = idOf(key);
            const spent = [...settled.values()]
              .filter((call) => call.keys.some((k) => idOf(k) === id))
              .reduce((sum, call) => sum + call.cost, 0);
            const held = inFlight
              .filter((call) => call.keys.some((k) => idOf(k) === id))
              .reduce((sum, call) => sum + call.amount, 0);
            // Never more admitted than the budget can take…
            expect(spent + held).toBeLessThanOrEqual(capacityOf(key));
            // …and the store never counts less than that (so it admits no one else into it).
            const [state] = await store.readCounters([key], now);
            expect(state!.committed + state!.reserved).toBeGreaterThanOrEqual(spent + held);
          }
          // Each running instance's leases cover its calls admitted from them and its records not
          // written yet (a crashed one's records are covered by its leases, still held in the store).
          const ownReservations = new Set(
            (await store.readHolds(globalKey, now)).map((hold) => hold.reservationId),
          );
          for (const [index, leased] of instances.entries()) {
            if (!leased) continue;
            const admittedLocally = inFlight
              .filter((call) => call.instance === index && !ownReservations.has(call.reservationId))
              .reduce((sum, call) => sum + call.amount, 0);
            let unwritten = 0;
            for (const [requestId, call] of settled)
              if (
                call.instance === index &&
                call.generation === generations[index] &&
                !(await store.getRecord(requestId))
              )
                unwritten += call.cost;
            const leasedAmount = leased.localLeases().reduce((sum, lease) => sum + lease.amount, 0);
            expect(admittedLocally + unwritten).toBeLessThanOrEqual(leasedAmount);
          }
        };

        for (const current of steps) {
          switch (current.kind) {
            case 'call': {
              const leased = instances[current.instance];
              if (!leased) break;
              const keys = [globalKey, userKey(USERS[current.user]!)];
              const reservationId = `call-${++calls}`;
              const result = await leased.reserve({
                reservationId,
                amount: current.amount,
                counters: keys.map((key) => limitOf(key, capacityOf(key))),
                leaseMs: LEASE_MS,
                now,
              });
              if (result.ok)
                inFlight.push({
                  instance: current.instance,
                  reservationId,
                  amount: current.amount,
                  keys,
                  admittedAt: now,
                });
              break;
            }
            case 'settle':
            case 'release': {
              if (inFlight.length === 0) break;
              const [call] = inFlight.splice(current.pick % inFlight.length, 1);
              const leased = instances[call!.instance]!;
              if (current.kind === 'release') {
                await leased.release(call!.reservationId, now);
                break;
              }
              const cost = Math.floor(call!.amount * current.costShare);
              const requestId = `request-${call!.reservationId}`;
              let result: Awaited<ReturnType<LeasedStore['commit']>>;
              try {
                result = await leased.commit({
                  reservationId: call!.reservationId,
                  record: record(requestId, cost, { timestamp: now, reserved: call!.amount }),
                  counters: call!.keys.map(chargeOf),
                  now,
                });
              } catch {
                // A call with its own reservation cannot be settled while writes fail: it stays held.
                expect(store.writesDown).toBe(true);
                inFlight.push(call!);
                break;
              }
              expect(result.recorded).toBe(true);
              settled.set(requestId, {
                instance: call!.instance,
                generation: generations[call!.instance]!,
                cost,
                keys: call!.keys,
              });
              break;
            }
            case 'flush':
              await instances[current.instance]?.flush();
              break;
            case 'retire':
              instances[current.instance]?.retireStale(now + MAX_AGE_MS);
              break;
            case 'advance': {
              // While time passes the writers run (every flushIntervalMs in an app), and a call is
              // settled within its reservation's lease: time moves on only as far as the oldest call allows.
              if (store.writesDown) break;
              for (const leased of instances) await leased?.flush();
              const oldest = Math.min(...inFlight.map((call) => call.admittedAt));
              now = Math.min(now + current.ms, oldest + LEASE_MS - 1);
              if (!Number.isFinite(now)) now = T0;
              break;
            }
            case 'crash': {
              if (!instances[current.instance]) break;
              instances[current.instance] = undefined;
              // Its calls in flight never come back; what they spent is not known to anyone.
              for (let index = inFlight.length - 1; index >= 0; index--)
                if (inFlight[index]!.instance === current.instance) inFlight.splice(index, 1);
              break;
            }
            case 'restart': {
              if (instances[current.instance]) break;
              const leased = open(current.instance);
              instances[current.instance] = leased;
              // The spill file is replayed before the crashed lease could pass (once writes succeed).
              const waiting = await leased.flush();
              if (!store.writesDown) expect(waiting).toBe(0);
              break;
            }
            case 'writes':
              store.writesDown = current.down;
              break;
            case 'expire': {
              // Only once no instance is down with records unreplayed and no call is in flight.
              if (instances.some((leased) => !leased) || inFlight.length > 0 || store.writesDown) break;
              for (const leased of instances) await leased?.flush();
              now += LEASE_MS + MAX_AGE_MS;
              break;
            }
          }
          await check();
        }

        // Recovery: writes succeed again, every call ends, every instance is back and closes, every lease passes.
        store.writesDown = false;
        for (const call of inFlight.splice(0))
          await instances[call.instance]!.release(call.reservationId, now);
        for (let index = 0; index < INSTANCES; index++) {
          const leased = instances[index] ?? open(index);
          await leased.close();
          expect(leased.pendingRecords).toBe(0);
        }
        now += LEASE_MS + MAX_AGE_MS;
        for (const key of [globalKey, ...USERS.map(userKey)]) {
          const spent = [...settled.values()]
            .filter((call) => call.keys.some((k) => idOf(k) === idOf(key)))
            .reduce((sum, call) => sum + call.cost, 0);
          expect(await store.readCounters([key], now)).toEqual([{ ...key, committed: spent, reserved: 0 }]);
        }
        for (const [requestId, { cost }] of settled)
          expect((await store.getRecord(requestId))?.cost).toBe(cost);
      },
    ),
    { numRuns: 300 },
  );
});
