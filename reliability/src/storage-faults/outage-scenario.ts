import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { type BudgetManager, type BudgetStore, createBudget, usdToNano } from '@tollgate/core';
import { expect } from 'vitest';
import { type GateAttempt, runGatedLoad } from './gated-load';
import { percentile } from './percentile';
import { auditRecords } from './record-audit';
import { watchReserves } from './reserve-watcher';
import type { StoredLedger } from './stored-ledger';
import { waitUntil } from './wait-until';
import { WorkerBarrier } from './worker-barrier';

export const ADMISSION_TIMEOUT_MS = 1_000;
export const LEASE_MS = 2_000;
export const FAIL_OPEN_ALLOWANCE_USD = 0.0005;
const LOAD_BEFORE_MS = 2_000;
const LOAD_AFTER_MS = 3_000;
const LIMIT_USD = 100;
const BUDGETS = [{ id: 'app', limitUsd: LIMIT_USD, period: 'total' as const }];
const COUNTER_ID = 'app|global|total';

export interface OutageScenario {
  /** How long the store stays down at least; it comes back once every call in flight has answered. */
  outageMs: number;
  failOpen: boolean;
  /** The store the app uses; the fault sits between it and its data. */
  store: BudgetStore;
  /** A store on the same data without the fault, to read the state once the lease passed. */
  openReaderStore: () => BudgetStore;
  /** Resolves once the fault is in place. */
  startOutage: () => void | Promise<void>;
  /** Resolves once the store can be reached again. */
  endOutage: () => void | Promise<void>;
  readLedger: () => Promise<StoredLedger>;
  spillPath: string;
  requestIdPrefix: string;
}

export const LOAD_WORKERS = 4;

/**
 * Gated load, a storage outage in its middle, recovery; then the checks: no gate or settle
 * hangs on the down store, refusals typed, fail-open only because of the outage and within its
 * allowance, every settled call recorded exactly once and charged exactly once, nothing
 * reserved once the lease passed. Returns the figures.
 *
 * The checks read what happened and in what order, not how long it took: timestamps are only
 * compared with the moments the test itself took the store down and brought it back, and with
 * what the store itself answered to each reserve.
 */
export async function runOutageScenario(scenario: OutageScenario) {
  const started = performance.now();
  const reserves = watchReserves(scenario.store);
  const budget = createBudget({
    store: reserves.store,
    budgets: BUDGETS,
    admissionTimeoutMs: ADMISSION_TIMEOUT_MS,
    leaseMs: LEASE_MS,
    usageBuffer: { path: scenario.spillPath, retryIntervalMs: 250 },
    ...(scenario.failOpen ? { failOpen: { allowanceUsd: FAIL_OPEN_ALLOWANCE_USD } } : {}),
  });
  const attempts: GateAttempt[] = [];
  const gates = new WorkerBarrier();
  const settles = new WorkerBarrier();
  const stop = new AbortController();
  try {
    await budget.status(); // opens the store before the load starts
    const load = runGatedLoad({
      budget,
      workers: LOAD_WORKERS,
      maxCalls: Number.POSITIVE_INFINITY,
      durationMs: Number.POSITIVE_INFINITY,
      requestIdPrefix: scenario.requestIdPrefix,
      // Most of a worker's time is the provider call, as in an app.
      callMs: 100,
      signal: stop.signal,
      gateBarrier: gates,
      settleBarrier: settles,
      onAttempt: (attempt) => attempts.push(attempt),
    });
    const timeline = await driveOutage(scenario, budget, attempts, { gates, settles }).finally(() => {
      stop.abort();
      gates.open();
      settles.open();
    });
    const { outageOrdered, outageBegan, outageEnding } = timeline;
    const result = await load;
    const bufferEmptyAfterOutageEndMs = await timeline.bufferEmptyAfterStoreBackMs;

    for (let attempt = 0; attempt < 240 && budget.pendingUsage > 0; attempt++) {
      await budget.flushUsage();
      if (budget.pendingUsage > 0) await sleep(250);
    }
    expect(budget.pendingUsage).toBe(0);
    expect(existsSync(scenario.spillPath) ? readFileSync(scenario.spillPath, 'utf8') : '').toBe('');

    expect(result.unexpectedErrors).toEqual([]);
    expect(result.settleFailures).toEqual([]);
    expect(result.attempts.filter((attempt) => attempt.outcome === 'budget-exceeded')).toEqual([]);

    const refusals = result.attempts.filter((attempt) => attempt.outcome === 'storage-unavailable');
    const refusalLatencies = refusals.map((attempt) => attempt.answeredAt - attempt.startedAt);
    expect(refusals.length).toBeGreaterThan(0);

    // A gate that began once the fault was in place and was answered before it was lifted cannot
    // have reached the store: refused, or admitted on the fail-open allowance.
    const duringOutage = result.attempts.filter(
      (attempt) => attempt.startedAt >= outageBegan && attempt.answeredAt <= outageEnding,
    );
    expect(duringOutage.filter((attempt) => attempt.outcome === 'admitted' && !attempt.failOpen)).toEqual([]);
    // Admissions on the fail-open allowance (told by the admission's flag): only because of the
    // outage, never answered before it was ordered nor for a call the store itself admitted or
    // refused before the gate answered, and never more than the allowance while the store was down.
    // (An answer once the store is back makes the allowance whole again: a client still
    // reconnecting after it may open a second one, each admission of which its store failed.)
    const admittedFailOpen = result.attempts.filter((attempt) => attempt.failOpen);
    const admittedFailOpenNano = admittedFailOpen
      .filter((attempt) => attempt.answeredAt <= outageEnding)
      .reduce((sum, attempt) => sum + attempt.reserved, 0);
    if (scenario.failOpen) {
      expect(admittedFailOpen.length).toBeGreaterThan(0);
      for (const attempt of admittedFailOpen) {
        expect(attempt.answeredAt).toBeGreaterThanOrEqual(outageOrdered);
        const storeAnswer = reserves.answerTo(attempt.reservationId!);
        if (storeAnswer && storeAnswer.at <= attempt.answeredAt) expect(storeAnswer.outcome).toBe('failed');
      }
      expect(admittedFailOpenNano).toBeLessThanOrEqual(usdToNano(FAIL_OPEN_ALLOWANCE_USD));
      // The allowance ran out during the outage: what came after it was refused.
      expect(duringOutage.some((attempt) => attempt.outcome === 'storage-unavailable')).toBe(true);
    } else {
      expect(admittedFailOpen).toEqual([]);
    }

    // Zero records lost, zero duplicated, nothing held once the lease passed.
    const buffered = result.settled.filter((call) => call.buffered).length;
    expect(buffered).toBeGreaterThan(0);
    await sleep(LEASE_MS + 500);
    const reader = createBudget({ store: scenario.openReaderStore(), budgets: BUDGETS });
    const [status] = await reader.status();
    await reader.close();
    const ledger = await scenario.readLedger();
    const settled = new Map(result.settled.map((call) => [call.requestId, call.cost]));
    const audit = auditRecords(settled, ledger, COUNTER_ID);
    expect({ ...audit, committedMinusRecorded: 0 }).toEqual({
      lost: [],
      unexpected: [],
      wrongCost: [],
      committedMinusRecorded: 0,
    });
    // Never counted twice; never charged less than the records.
    expect(audit.committedMinusRecorded).toBeLessThanOrEqual(0);
    const unchargedNano = Math.max(0, -audit.committedMinusRecorded);
    expect(unchargedNano).toBe(0);
    expect(status!.usedNano).toBe(ledger.counters[0]!.committed);
    expect(status!.reservedNano).toBe(0);
    expect(ledger.counters.map((counter) => counter.reserved)).toEqual([0]);

    return {
      gateAttempts: result.attempts.length,
      settled: result.settled.length,
      bufferedThenWritten: buffered,
      refusals: refusals.length,
      refusalLatencyMaxMs: Math.round(Math.max(...refusalLatencies)),
      refusalLatencyP99Ms: Math.round(percentile(refusalLatencies, 99)),
      admittedFailOpen: admittedFailOpen.length,
      admittedFailOpenUsd: admittedFailOpenNano / 1e9,
      ...(scenario.failOpen ? { allowanceUsd: FAIL_OPEN_ALLOWANCE_USD } : {}),
      recordsLost: audit.lost.length,
      recordsUnexpected: audit.unexpected.length,
      doubleCountedNano: Math.max(0, audit.committedMinusRecorded),
      recordedButUnchargedNano: unchargedNano,
      reservedAfterLeaseNano: status!.reservedNano,
      bufferedAtOutageEnd: timeline.bufferedAtOutageEnd,
      bufferEmptyAfterOutageEndMs: Math.round(bufferEmptyAfterOutageEndMs),
      runSeconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    await budget.close().catch(() => {});
  }
}

/** Moments of the outage, each `performance.now()` in this process. */
interface OutageTimeline {
  /** Just before the test asked for the fault. */
  readonly outageOrdered: number;
  /** Just after the fault was in place. */
  readonly outageBegan: number;
  /** Just before the test asked for the store back, with no call in flight. */
  readonly outageEnding: number;
  /** Just after the store could be reached again. */
  readonly storeBack: number;
  readonly bufferedAtOutageEnd: number;
  readonly bufferEmptyAfterStoreBackMs: Promise<number>;
}

/** Runs the outage in the middle of the load; returns once a gate begun after it was admitted by the store. */
async function driveOutage(
  scenario: OutageScenario,
  budget: BudgetManager,
  attempts: readonly GateAttempt[],
  barriers: { gates: WorkerBarrier; settles: WorkerBarrier },
): Promise<OutageTimeline> {
  const { gates, settles } = barriers;
  await sleep(LOAD_BEFORE_MS);
  // The outage finds calls admitted and not yet settled: their usage has to wait in the buffer.
  settles.close();
  await waitUntil(() => settles.waiting > 0, 'an admitted call waiting to settle');
  const outageOrdered = performance.now();
  await scenario.startOutage();
  const outageBegan = performance.now();
  settles.open();
  await sleep(scenario.outageMs);
  // No gate hangs on a down store: every worker has a gate begun during the outage answered, and
  // every gate and settle still in flight is answered, all before the store comes back.
  const workersAnswered = () =>
    new Set(attempts.filter((attempt) => attempt.startedAt >= outageBegan).map((attempt) => attempt.worker))
      .size;
  await waitUntil(
    () => workersAnswered() === LOAD_WORKERS,
    'a gate of every worker, begun during the outage, to be answered while it lasts',
  );
  gates.close();
  await waitUntil(() => gates.waiting === LOAD_WORKERS, 'every gate and settle in flight to be answered');
  const bufferedAtOutageEnd = budget.pendingUsage;
  const outageEnding = performance.now();
  await scenario.endOutage();
  const storeBack = performance.now();
  gates.open();
  const bufferEmptyAfterStoreBackMs = (async () => {
    while (budget.pendingUsage > 0 && performance.now() - storeBack < 60_000) await sleep(25);
    return performance.now() - storeBack;
  })();
  await sleep(LOAD_AFTER_MS);
  await waitUntil(
    () =>
      attempts.some(
        (attempt) => attempt.startedAt >= storeBack && attempt.outcome === 'admitted' && !attempt.failOpen,
      ),
    'a gate begun after the outage to be admitted by the store',
  );
  return {
    outageOrdered,
    outageBegan,
    outageEnding,
    storeBack,
    bufferedAtOutageEnd,
    bufferEmptyAfterStoreBackMs,
  };
}
