import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBudget } from '@tollgate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '@tollgate/core/testing';
import { PROFILE, sized } from '../profile';
import { type GateAttempt, runGatedLoad } from './gated-load';
import { ADMISSION_TIMEOUT_MS, LEASE_MS, LOAD_WORKERS } from './outage-scenario';
import { percentile } from './percentile';
import { auditRecords } from './record-audit';
import { mongodbUnderFault, type StoreUnderFault, sqliteUnderFault } from './store-under-fault';
import { waitUntil } from './wait-until';
import { WorkerBarrier } from './worker-barrier';

const FLAPS = sized({ ci: 10, full: 50 });
const BUDGETS = [{ id: 'app', limitUsd: 100, period: 'total' as const }];
const SEED = Number(process.env.RELIABILITY_SEED ?? Date.now() % 1_000_000);

const figures: Record<string, unknown>[] = [];
const directories: string[] = [];

afterAll(() => {
  console.log(`Flapping storage (${PROFILE} profile, seed ${SEED}):\n${JSON.stringify(figures, null, 2)}`);
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

describe(`storage going down and up ${FLAPS} times under gated load`, () => {
  for (const kind of ['sqlite', 'mongodb'] as const) {
    it(`${kind}: every settled call recorded once, never counted twice`, async () => {
      const started = performance.now();
      const random = seededRandom(SEED);
      const directory = mkdtempSync(join(tmpdir(), 'tollgate-flapping-'));
      directories.push(directory);
      const spillPath = join(directory, 'usage-buffer.jsonl');
      const store: StoreUnderFault =
        kind === 'mongodb' ? await mongodbUnderFault() : sqliteUnderFault(directory);
      const budget = createBudget({
        store: store.openStoreThroughFault(),
        budgets: BUDGETS,
        admissionTimeoutMs: ADMISSION_TIMEOUT_MS,
        leaseMs: LEASE_MS,
        usageBuffer: { path: spillPath, retryIntervalMs: 100 },
      });
      const attempts: GateAttempt[] = [];
      const gates = new WorkerBarrier();
      /** When each outage's fault was in place, and when the test asked for the store back. */
      const outages: { began: number; ending: number }[] = [];
      try {
        await budget.status();
        const stop = new AbortController();
        const load = runGatedLoad({
          budget,
          workers: LOAD_WORKERS,
          maxCalls: Number.POSITIVE_INFINITY,
          durationMs: Number.POSITIVE_INFINITY,
          requestIdPrefix: `${kind}-${SEED}`,
          callMs: 5,
          pauseAfterRefusalMs: 20,
          signal: stop.signal,
          gateBarrier: gates,
          onAttempt: (attempt) => attempts.push(attempt),
        });
        try {
          for (let flap = 0; flap < FLAPS; flap++) {
            await sleep(200 + Math.floor(random() * 400));
            await store.takeDown();
            const began = performance.now();
            await sleep(200 + Math.floor(random() * 400));
            // Every other outage ends only once a gate begun during it was answered and every call in
            // flight has been answered: no call hangs on a down store. The others end with calls in flight.
            if (flap % 2 === 0) {
              await waitUntil(
                () => attempts.some((attempt) => attempt.startedAt >= began),
                'a gate begun during the outage to be answered while it lasts',
              );
              gates.close();
              await waitUntil(
                () => gates.waiting === LOAD_WORKERS,
                'every gate and settle in flight to be answered',
              );
            }
            outages.push({ began, ending: performance.now() });
            await store.bringBack();
            gates.open();
          }
          await sleep(500);
        } finally {
          stop.abort();
          gates.open();
        }
        const result = await load;
        for (let attempt = 0; attempt < 240 && budget.pendingUsage > 0; attempt++) {
          await budget.flushUsage();
          if (budget.pendingUsage > 0) await sleep(250);
        }
        expect(budget.pendingUsage).toBe(0);
        expect(existsSync(spillPath) ? readFileSync(spillPath, 'utf8') : '').toBe('');
        expect(result.unexpectedErrors).toEqual([]);
        expect(result.settleFailures).toEqual([]);

        await sleep(LEASE_MS + 500);
        const reader = createBudget({ store: store.openStore(), budgets: BUDGETS });
        const [status] = await reader.status();
        await reader.close();
        const ledger = await store.readLedger();
        const settled = new Map(result.settled.map((call) => [call.requestId, call.cost]));
        const audit = auditRecords(settled, ledger, 'app|global|total');
        expect([audit.lost, audit.unexpected, audit.wrongCost]).toEqual([[], [], []]);
        expect(audit.committedMinusRecorded).toBeLessThanOrEqual(0);
        const unchargedNano = Math.max(0, -audit.committedMinusRecorded);
        // A commit cut off by a fault is finished by its replay from the usage buffer.
        expect(unchargedNano).toBe(0);
        expect(status!.reservedNano).toBe(0);
        expect(status!.usedNano).toBe(ledger.counters[0]!.committed);

        // A gate begun once the fault was in place and answered before the store came back cannot have
        // reached the store: every one of them was refused.
        const duringOutages = result.attempts.filter((attempt) =>
          outages.some((outage) => attempt.startedAt >= outage.began && attempt.answeredAt <= outage.ending),
        );
        expect(duringOutages.length).toBeGreaterThan(0);
        expect(duringOutages.filter((attempt) => attempt.outcome !== 'storage-unavailable')).toEqual([]);
        const refusals = result.attempts.filter((attempt) => attempt.outcome === 'storage-unavailable');
        const refusalLatencies = refusals.map((attempt) => attempt.answeredAt - attempt.startedAt);
        figures.push({
          store: kind,
          flaps: FLAPS,
          gateAttempts: result.attempts.length,
          settled: result.settled.length,
          bufferedThenWritten: result.settled.filter((call) => call.buffered).length,
          refusals: refusals.length,
          refusalLatencyMaxMs: Math.round(Math.max(...refusalLatencies)),
          refusalLatencyP99Ms: Math.round(percentile(refusalLatencies, 99)),
          recordsLost: audit.lost.length,
          recordsUnexpected: audit.unexpected.length,
          doubleCountedNano: Math.max(0, audit.committedMinusRecorded),
          recordedButUnchargedNano: unchargedNano,
          reservedAfterLeaseNano: status!.reservedNano,
          runSeconds: Math.round((performance.now() - started) / 100) / 10,
        });
      } finally {
        await budget.close().catch(() => {});
        await store.close();
      }
    });
  }
});
