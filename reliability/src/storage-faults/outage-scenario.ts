import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { type BudgetStore, createBudget, usdToNano } from '@tollgate/core';
import { expect } from 'vitest';
import { runGatedLoad } from './gated-load';
import { percentile } from './percentile';
import { auditRecords } from './record-audit';
import type { StoredLedger } from './stored-ledger';

export const ADMISSION_TIMEOUT_MS = 1_000;
export const LEASE_MS = 2_000;
export const FAIL_OPEN_ALLOWANCE_USD = 0.0005;
/** Refusals are checked against the admission timeout plus this much (a busy 2-core machine). */
const REFUSAL_SLACK_MS = 2_000;
const IN_FLIGHT_MARGIN_MS = 100;
const LOAD_BEFORE_MS = 2_000;
const LOAD_AFTER_MS = 3_000;
const LIMIT_USD = 100;
const BUDGETS = [{ id: 'app', limitUsd: LIMIT_USD, period: 'total' as const }];
const COUNTER_ID = 'app|global|total';

export interface OutageScenario {
  outageMs: number;
  failOpen: boolean;
  /** The store the app uses; the fault sits between it and its data. */
  store: BudgetStore;
  /** A store on the same data without the fault, to read the state once the lease passed. */
  openReaderStore: () => BudgetStore;
  startOutage: () => void | Promise<void>;
  endOutage: () => void | Promise<void>;
  readLedger: () => Promise<StoredLedger>;
  spillPath: string;
  requestIdPrefix: string;
}

export const LOAD_WORKERS = 4;

/**
 * Gated load, a storage outage in its middle, recovery; then the checks: refusals typed
 * and within the admission timeout, fail-open within its allowance, every settled call
 * recorded exactly once and charged exactly once, nothing reserved once the lease passed.
 * Returns the figures.
 */
export async function runOutageScenario(scenario: OutageScenario) {
  const started = performance.now();
  const budget = createBudget({
    store: scenario.store,
    budgets: BUDGETS,
    admissionTimeoutMs: ADMISSION_TIMEOUT_MS,
    leaseMs: LEASE_MS,
    usageBuffer: { path: scenario.spillPath, retryIntervalMs: 250 },
    ...(scenario.failOpen ? { failOpen: { allowanceUsd: FAIL_OPEN_ALLOWANCE_USD } } : {}),
  });
  try {
    await budget.status(); // opens the store before the load starts
    const load = runGatedLoad({
      budget,
      workers: LOAD_WORKERS,
      maxCalls: 5_000,
      durationMs: LOAD_BEFORE_MS + scenario.outageMs + LOAD_AFTER_MS,
      requestIdPrefix: scenario.requestIdPrefix,
      // Most of a worker's time is the provider call, so an outage finds calls admitted and not yet settled.
      callMs: 100,
    });
    await sleep(LOAD_BEFORE_MS);
    await scenario.startOutage();
    const outageStart = performance.now();
    await sleep(scenario.outageMs);
    const outageEnd = performance.now();
    const bufferedAtOutageEnd = budget.pendingUsage;
    const buffer = (async () => {
      while (budget.pendingUsage > 0 && performance.now() - outageEnd < 60_000) await sleep(25);
      return performance.now() - outageEnd;
    })();
    await scenario.endOutage();
    const result = await load;
    const bufferEmptyAfterOutageEndMs = await buffer;

    for (let attempt = 0; attempt < 240 && budget.pendingUsage > 0; attempt++) {
      await budget.flushUsage();
      if (budget.pendingUsage > 0) await sleep(250);
    }
    expect(budget.pendingUsage).toBe(0);
    expect(existsSync(scenario.spillPath) ? readFileSync(scenario.spillPath, 'utf8') : '').toBe('');

    expect(result.unexpectedErrors).toEqual([]);
    expect(result.settleFailures).toEqual([]);
    expect(result.attempts.filter((attempt) => attempt.outcome === 'budget-exceeded')).toEqual([]);

    // Every refusal is typed, and no gate waits much longer than the admission timeout.
    const refusals = result.attempts.filter((attempt) => attempt.outcome === 'storage-unavailable');
    const refusalLatencies = refusals.map((attempt) => attempt.answeredAt - attempt.startedAt);
    const gateLatencies = result.attempts.map((attempt) => attempt.answeredAt - attempt.startedAt);
    expect(refusals.length).toBeGreaterThan(0);
    expect(Math.max(...gateLatencies)).toBeLessThanOrEqual(ADMISSION_TIMEOUT_MS + REFUSAL_SLACK_MS);

    // Gates answered while the store was down: none of them can have reached it. The margin lets
    // answers already on their way when the fault began arrive.
    const duringOutage = result.attempts.filter(
      (attempt) => attempt.answeredAt >= outageStart + IN_FLIGHT_MARGIN_MS && attempt.answeredAt <= outageEnd,
    );
    expect(duringOutage.length).toBeGreaterThan(0);
    expect(duringOutage.filter((attempt) => attempt.outcome === 'admitted' && !attempt.failOpen)).toEqual([]);
    // Admissions on the fail-open allowance: only because of the outage (a gate that began
    // within an admission timeout of its end may still have waited on a connection opened
    // during it), and never more than the allowance in total.
    const admittedFailOpen = result.attempts.filter((attempt) => attempt.failOpen);
    const admittedFailOpenNano = admittedFailOpen.reduce((sum, attempt) => sum + attempt.reserved, 0);
    if (scenario.failOpen) {
      expect(admittedFailOpen.length).toBeGreaterThan(0);
      for (const attempt of admittedFailOpen) {
        expect(attempt.answeredAt).toBeGreaterThanOrEqual(outageStart);
        expect(attempt.startedAt).toBeLessThanOrEqual(outageEnd + ADMISSION_TIMEOUT_MS);
      }
      expect(admittedFailOpenNano).toBeLessThanOrEqual(usdToNano(FAIL_OPEN_ALLOWANCE_USD));
      // The allowance ran out during the outage: what came after it was refused.
      expect(duringOutage.some((attempt) => attempt.outcome === 'storage-unavailable')).toBe(true);
    } else {
      expect(admittedFailOpen).toEqual([]);
    }
    expect(result.attempts.some((a) => a.startedAt > outageEnd && a.outcome === 'admitted')).toBe(true);

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
    expect(status!.nano.used).toBe(ledger.counters[0]!.committed);
    expect(status!.nano.reserved).toBe(0);
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
      reservedAfterLeaseNano: status!.nano.reserved,
      bufferedAtOutageEnd,
      bufferEmptyAfterOutageEndMs: Math.round(bufferEmptyAfterOutageEndMs),
      runSeconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    await budget.close().catch(() => {});
  }
}
