import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBudget } from '../budget/budget-manager';
import { BudgetExceededError } from '../errors/budget-exceeded-error';
import { ValidationError } from '../errors/validation-error';
import { MemoryStore } from '../store/memory-store';
import type { CommitRequest, ReserveRequest } from '../store/store-contract';
import { createUsage } from '../usage';

const NOW = Date.UTC(2026, 10, 29, 12);
const PERIOD = 'month:2026-11';
const call = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1000, maxOutputTokens: 100 };
const usage = createUsage({ inputTokens: 1000, outputTokens: 50 }); // 150,000 + 30,000 nano
const COST = 180_000;
const directory = mkdtempSync(join(tmpdir(), 'tollgate-leases-'));

afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** A MemoryStore that counts what reaches it. */
class CountingStore extends MemoryStore {
  reserves: ReserveRequest[] = [];
  commits: CommitRequest[] = [];
  reads = 0;
  override async readCounters(...args: Parameters<MemoryStore['readCounters']>) {
    this.reads++;
    return super.readCounters(...args);
  }
  override async reserve(request: ReserveRequest) {
    this.reserves.push(request);
    return super.reserve(request);
  }
  override async commit(request: CommitRequest) {
    this.commits.push(request);
    return super.commit(request);
  }
}

const globalKey = { budgetId: 'global', scope: 'global', period: PERIOD };

async function spend(budget: ReturnType<typeof createBudget>, calls: number, prefix: string) {
  for (let index = 0; index < calls; index++) {
    const admission = await budget.gate(call);
    await admission.settle({ usage, requestId: `${prefix}-${index}` });
  }
}

describe('quota leases', () => {
  it('admits calls from leases that grow with use, and writes their records behind: a handful of reservations for 100 calls, exact spend', async () => {
    const store = new CountingStore();
    const budget = createBudget({
      store,
      clock: () => NOW,
      leases: { flushIntervalMs: 3_600_000 },
      budgets: [{ id: 'global', limitUsd: 10, period: 'month' }],
    });
    await spend(budget, 100, 'r');
    // The first lease covers 4 calls (minCalls), each next one twice the last, taken when the
    // one before is half used.
    const leases = store.reserves.map((request) => request.amount);
    expect(store.reserves.every((request) => request.reservationId.startsWith('lease~'))).toBe(true);
    expect(leases).toEqual([840_000, 1_680_000, 3_360_000, 6_720_000, 13_440_000, 26_880_000]);
    // When a replaced lease's calls have ended, what waits is written (no flush was due) and that
    // lease given back: only the lease still admitting is held.
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.commits.length + budget.pendingUsage).toBe(100);
    expect(store.commits.length).toBeGreaterThan(0);
    expect(store.commits.every((commit) => commit.reservationId === undefined)).toBe(true);
    const [status] = await budget.status();
    expect(status!.usedNano).toBe(100 * COST);
    const { heldNano, unspentNano } = status!.leases!;
    expect(heldNano).toBe(26_880_000);
    // What the calls admitted from it cost is taken out of what it has free.
    expect((heldNano - unspentNano) % COST).toBe(0);
    expect(unspentNano).toBeLessThan(heldNano);

    expect(await budget.flushUsage()).toBe(0);
    expect(store.commits).toHaveLength(100);
    await budget.close();
    expect(await store.readCounters([globalKey], NOW)).toEqual([
      { ...globalKey, committed: 100 * COST, reserved: 0 },
    ]);
  });

  it('refuses a call only when what the store has left unleased is below its amount, after giving back its own lease', async () => {
    const store = new MemoryStore();
    const budgets = [{ id: 'global', limitUsd: 0.01, period: 'month' as const }];
    const options = { store, clock: () => NOW, budgets };
    const first = createBudget({
      ...options,
      leases: { instanceId: 'first', flushIntervalMs: 3_600_000, minCalls: 2 },
    });
    const second = createBudget({
      ...options,
      leases: { instanceId: 'second', flushIntervalMs: 3_600_000, minCalls: 2 },
    });
    let refusal: BudgetExceededError | undefined;
    let refused = first;
    let admitted = 0;
    for (let index = 0; !refusal; index++) {
      const budget = index % 2 === 0 ? first : second;
      try {
        const admission = await budget.gate(call);
        await admission.settle({ usage, requestId: `call-${index}` });
        admitted++;
      } catch (error) {
        if (!BudgetExceededError.isInstance(error)) throw error;
        refusal = error;
        refused = budget;
      }
    }
    const [state] = await store.readCounters([globalKey], NOW);
    expect(refusal.availableNano).toBeLessThan(refusal.neededNano);
    expect(10_000_000 - state!.committed - state!.reserved).toBe(refusal.availableNano);
    // The refused instance holds nothing any more; what the other holds is at most one lease.
    const [status] = await refused.status();
    expect(status!.leases!.unspentNano).toBe(0);
    await first.close();
    await second.close();
    const [after] = await store.readCounters([globalKey], NOW);
    expect(after).toEqual({ ...globalKey, committed: admitted * COST, reserved: 0 });
    expect(admitted * COST).toBeLessThanOrEqual(10_000_000);
    // Every call that fitted was admitted: the budget left is less than one more call's reservation.
    expect(10_000_000 - admitted * COST).toBeLessThan(refusal.neededNano + COST);
  });

  it('takes one lease large enough for calls that arrive together, and admits them all from it', async () => {
    const store = new CountingStore();
    const budget = createBudget({
      store,
      clock: () => NOW,
      leases: true,
      budgets: [{ id: 'global', limitUsd: 10, period: 'month' }],
    });
    const admissions = await Promise.all(Array.from({ length: 50 }, () => budget.gate(call)));
    // 50 calls of 210,000 waited for the first lease: it was taken for all of them.
    expect(store.reserves.map((request) => request.amount)[0]).toBe(50 * 210_000);
    expect(store.reserves.every((request) => request.reservationId.startsWith('lease~'))).toBe(true);
    await Promise.all(
      admissions.map((admission, index) => admission.settle({ usage, requestId: `together-${index}` })),
    );
    await budget.close();
    expect(await store.readCounters([globalKey], NOW)).toEqual([
      { ...globalKey, committed: 50 * COST, reserved: 0 },
    ]);
  });

  it('shows every instance holding a lease on a budget in its status', async () => {
    const store = new MemoryStore();
    const budgets = [{ id: 'global', limitUsd: 10, period: 'month' as const }];
    const first = createBudget({ store, clock: () => NOW, budgets, leases: { instanceId: 'web-1' } });
    const second = createBudget({ store, clock: () => NOW, budgets, leases: { instanceId: 'web-2' } });
    await spend(first, 1, 'a');
    await spend(second, 1, 'b');
    const [status] = await second.status();
    // Each instance's first lease covers 4 calls of 210,000; the second has spent 180,000 of its own.
    expect(status!.leases).toEqual({
      heldUsd: 0.00168,
      heldNano: 1_680_000,
      unspentUsd: 0.00066,
      unspentNano: 660_000,
      instanceId: 'web-2',
      byInstance: [
        { instanceId: 'web-1', leases: 1, heldUsd: 0.00084, heldNano: 840_000 },
        { instanceId: 'web-2', leases: 1, heldUsd: 0.00084, heldNano: 840_000 },
      ],
    });
    expect(status!.reservedNano).toBe(1_680_000);
    await first.close();
    await second.close();
  });

  it('replays the records a crashed instance had not written from its file, once', async () => {
    const store = new MemoryStore();
    const path = join(directory, 'crash.jsonl');
    let now = NOW;
    const options = {
      store,
      clock: () => now,
      budgets: [{ id: 'global', limitUsd: 10, period: 'month' as const }],
      // One lease of 100 calls (21,000,000) covers the 3 calls: none of their records is written.
      leases: { path, flushIntervalMs: 3_600_000, minCalls: 100 },
    };
    const crashed = createBudget(options);
    await spend(crashed, 3, 'before-crash');
    // Gone without close(): its lease is still held, its records are only in the file.
    expect(await store.readCounters([globalKey], now)).toEqual([
      { ...globalKey, committed: 0, reserved: 21_000_000 },
    ]);

    const restarted = createBudget(options);
    expect(await restarted.flushUsage()).toBe(0);
    expect(await store.readCounters([globalKey], now)).toEqual([
      { ...globalKey, committed: 3 * COST, reserved: 21_000_000 },
    ]);
    // The crashed lease counts until it passes: the budget's lease (10 minutes) and the lease's age (60 s).
    now += 10 * 60_000 + 60_000;
    expect(await store.readCounters([globalKey], now)).toEqual([
      { ...globalKey, committed: 3 * COST, reserved: 0 },
    ]);
    const again = createBudget(options);
    expect(await again.flushUsage()).toBe(0);
    expect((await store.readCounters([globalKey], now))[0]!.committed).toBe(3 * COST);
    await restarted.close();
    await again.close();
  });

  it('reserves per call, without trying for a lease on each, when too little is left for one', async () => {
    const store = new CountingStore();
    let now = NOW;
    const budget = createBudget({
      store,
      clock: () => now,
      // $0.01 holds about 20 calls' worth; a lease must cover 1,000.
      leases: { minCalls: 1_000 },
      budgets: [{ id: 'global', limitUsd: 0.01, period: 'month' }],
    });
    await spend(budget, 5, 'early');
    expect(store.reserves.map((request) => request.reservationId.startsWith('lease~'))).toEqual(
      Array(5).fill(false),
    );
    expect(store.reads).toBe(1);
    now += 1_000;
    await spend(budget, 1, 'later');
    expect(store.reads).toBe(2);
    await budget.close();
  });

  it('tries a refused call again only when a lease of its instance went back meanwhile', async () => {
    const store = new CountingStore();
    const budget = createBudget({
      store,
      clock: () => NOW,
      leases: { minCalls: 1, share: 1 },
      budgets: [{ id: 'global', limitUsd: 0.01, period: 'month' }],
    });
    // The first call leases exactly its own 210,000 and stays in flight; then the rest of the
    // budget is held elsewhere.
    const inFlight = await budget.gate(call);
    const [lease] = store.reserves;
    expect(lease!.amount).toBe(210_000);
    const capacity = lease!.counters[0]!.capacity;
    const elsewhere = await store.reserve({
      ...lease!,
      reservationId: 'elsewhere',
      amount: capacity - 210_000,
    });
    expect(elsewhere.ok).toBe(true);
    const before = store.reserves.length;
    await expect(budget.gate(call)).rejects.toBeInstanceOf(BudgetExceededError);
    // One reservation of its own, refused; its instance's lease could not go back (a call in flight).
    expect(store.reserves.slice(before).map((request) => request.reservationId.startsWith('lease~'))).toEqual(
      [false],
    );
    await inFlight.settle({ usage, requestId: 'in-flight' });
    await budget.close();
  });

  it('keeps admitting calls from the lease it holds while the store is down, and writes them once it is back', async () => {
    const store = new CountingStore();
    let down = false;
    const commit = store.commit.bind(store);
    store.commit = async (request) => {
      if (down) throw new Error('ECONNRESET');
      return commit(request);
    };
    const budget = createBudget({
      store,
      clock: () => NOW,
      leases: { minCalls: 100, flushIntervalMs: 3_600_000 },
      budgets: [{ id: 'global', limitUsd: 10, period: 'month' }],
    });
    await spend(budget, 1, 'before');
    down = true;
    // No round trip is needed: the lease (100 calls) admits them, their records wait.
    await spend(budget, 20, 'during');
    expect(await budget.flushUsage()).toBe(21);
    down = false;
    expect(await budget.flushUsage()).toBe(0);
    await budget.close();
    expect(await store.readCounters([globalKey], NOW)).toEqual([
      { ...globalKey, committed: 21 * COST, reserved: 0 },
    ]);
  });

  it('cannot be hung by a store that stops answering: flushUsage and close return, the records still waiting', async () => {
    const store = new MemoryStore();
    const budget = createBudget({
      store,
      clock: () => NOW,
      admissionTimeoutMs: 20,
      leases: { minCalls: 100, flushIntervalMs: 3_600_000 },
      budgets: [{ id: 'global', limitUsd: 10, period: 'month' }],
    });
    await spend(budget, 3, 'r');
    store.commit = () => new Promise(() => {});
    expect(await budget.flushUsage()).toBe(3);
    await budget.close();
    expect(budget.pendingUsage).toBe(3);
  });

  it('counts a record once in status while it is being written: in the store or waiting, never both', async () => {
    const store = new CountingStore();
    // The store applies a commit at once, but answers it only when the test lets it.
    let held = true;
    let answer: () => void = () => {};
    const commit = store.commit.bind(store);
    store.commit = async (request) => {
      const result = await commit(request);
      if (held) await new Promise<void>((resolve) => (answer = resolve));
      return result;
    };
    const budget = createBudget({
      store,
      clock: () => NOW,
      leases: { minCalls: 100, flushIntervalMs: 3_600_000 },
      budgets: [{ id: 'global', limitUsd: 10, period: 'month' }],
    });
    await spend(budget, 3, 'r');
    const flushing = budget.flushUsage();
    // The first record is in the store; its write has not answered yet.
    await expect.poll(() => store.commits.length).toBe(1);
    const reading = budget.status();
    await new Promise((resolve) => setImmediate(resolve));
    held = false;
    answer();
    expect((await reading)[0]!.usedNano).toBe(3 * COST);
    expect(await flushing).toBe(0);
    await budget.close();
  });

  it('leases only for the budgets named, and reserves per call for any other', async () => {
    const store = new CountingStore();
    const budget = createBudget({
      store,
      clock: () => NOW,
      leases: { budgets: ['global'] },
      onWarning: () => {},
      budgets: [
        { id: 'global', limitUsd: 10, period: 'month' },
        { id: 'per-user', limitUsd: 1, period: 'day', scope: 'user' },
      ],
    });
    await spend(budget, 3, 'team');
    await budget.withContext({ userId: 'u-1' }, () => spend(budget, 3, 'user'));
    // The team's calls lease (the first lease and, half used, the next); each user call holds its own.
    const perCall = store.reserves.filter((request) => !request.reservationId.startsWith('lease~'));
    expect(perCall.map((request) => request.counters.map((counter) => counter.budgetId))).toEqual([
      ['global', 'per-user'],
      ['global', 'per-user'],
      ['global', 'per-user'],
    ]);
    expect(store.reserves.length - perCall.length).toBe(2);
    await budget.close();
  });

  it('gives back a lease no call used for idleMs', async () => {
    const store = new MemoryStore();
    let now = NOW;
    const budget = createBudget({
      store,
      clock: () => now,
      leases: { instanceId: 'idle', idleMs: 1_000, flushIntervalMs: 3_600_000 },
      budgets: [{ id: 'global', limitUsd: 10, period: 'month' }],
    });
    await spend(budget, 2, 'r');
    now += 1_000;
    await budget.flushUsage();
    expect((await budget.status())[0]!.leases!.byInstance).toHaveLength(1);
    // The timer calls this every min(flushIntervalMs, idleMs); called here, not waited for.
    (budget as unknown as { leasedStore: { retireStale(): void } }).leasedStore.retireStale();
    await budget.flushUsage();
    expect(await store.readCounters([globalKey], now)).toEqual([
      { ...globalKey, committed: 2 * COST, reserved: 0 },
    ]);
    await budget.close();
  });

  it('rejects options that cannot lease, naming the option', () => {
    const attempts: [unknown, RegExp][] = [
      [{ share: 2 }, /leases\.share/],
      [{ share: 0 }, /leases\.share.*above 0/],
      [{ share: 25 }, /leases\.share.*fraction.*0\.25 is a quarter.*got 25/],
      [{ instance: 'web-1' }, /did you mean 'instanceId'/],
      [{ instanceId: 'a~b' }, /leases\.instanceId.*"~"/],
      [{ minCalls: 0 }, /leases\.minCalls/],
      [{ budgets: 'global' }, /leases\.budgets/],
      [{ flushInterval: 100 }, /flushIntervalMs/],
      ['yes', /leases: must be true or an object/],
    ];
    for (const [leases, message] of attempts) {
      const attempt = () => createBudget({ leases: leases as never });
      expect(attempt).toThrow(ValidationError);
      expect(attempt).toThrow(message);
    }
    const unknownBudget = () =>
      createBudget({ leases: { budgets: ['teams'] }, budgets: [{ id: 'team', limitUsd: 5 }] });
    expect(unknownBudget).toThrow(/leases\.budgets\[0\].*"teams" is not one of the budgets \(team\)/);
    const sameFile = () =>
      createBudget({ leases: { path: 'usage.jsonl' }, usageBuffer: { path: 'usage.jsonl' } });
    expect(sameFile).toThrow(/leases\.path.*usageBuffer\.path/);
  });
});
