import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createBudget, usdToNano } from '@tollgate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { PROFILE, sized } from '../profile';
import { auditRecords } from '../storage-faults/record-audit';
import {
  mongodbUnderFault,
  type StoreUnderFault,
  sqliteUnderFault,
} from '../storage-faults/store-under-fault';
import { startWorkerProcess } from '../storage-faults/worker-process';
import { seededRandom } from '@tollgate/core/testing';

const WORKER = fileURLToPath(new URL('./gated-calls-worker-process.mjs', import.meta.url));
const KILLS = sized({ ci: 10, full: 100 });
const LEASE_MS = 2_000;
const CONCURRENCY = 4;
const LIMIT_USD = 1_000;
const BUDGETS = [{ id: 'app', limitUsd: LIMIT_USD, period: 'total' as const }];
const COUNTER = { budgetId: 'app', scope: 'global', period: 'total' };
/** Every third worker is killed while its store is down, with usage waiting in its spill file. */
const OUTAGE_EVERY = 3;
const SEED = Number(process.env.RELIABILITY_SEED ?? Date.now() % 1_000_000);

const figures: Record<string, unknown>[] = [];
const directories: string[] = [];

afterAll(() => {
  console.log(
    `kill -9 of a worker mid-call (${PROFILE} profile, seed ${SEED}):\n${JSON.stringify(figures, null, 2)}`,
  );
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

function spilledLines(path: string): number {
  return existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => line.trim()).length
    : 0;
}

describe(`kill -9 of a worker in the middle of gated calls, ${KILLS} times`, () => {
  for (const kind of ['sqlite', 'mongodb'] as const) {
    it(`${kind}: after the lease nothing stays reserved, nothing leaks, replays never double count`, async () => {
      const started = performance.now();
      const random = seededRandom(SEED);
      const directory = mkdtempSync(join(tmpdir(), 'tollgate-crash-'));
      directories.push(directory);
      const spillPath = join(directory, 'usage-buffer.jsonl');
      const store: StoreUnderFault =
        kind === 'mongodb' ? await mongodbUnderFault() : sqliteUnderFault(directory);
      const env = {
        ...store.env,
        SPILL_PATH: spillPath,
        LIMIT_USD: String(LIMIT_USD),
        LEASE_MS: String(LEASE_MS),
        CONCURRENCY: String(CONCURRENCY),
        MAX_CALLS: '100000',
        MAX_MS: '20000',
      };
      const gated = new Set<string>();
      const settled = new Map<string, number>();
      let replayedAtStart = 0;
      let bufferedAtKill = 0;
      let killsDuringOutage = 0;
      try {
        for (let kill = 0; kill < KILLS; kill++) {
          const worker = startWorkerProcess(WORKER, { ...env, PREFIX: `${kind}-${SEED}-${kill}` });
          try {
            const ready = await worker.waitForLine((line) => line.startsWith('READY '));
            replayedAtStart += Number(ready.split(' ')[1]);
            // Killed somewhere after its first settled call, so that every worker leaves some.
            await worker.waitForLine((line) => line.startsWith('S '));
            await sleep(50 + Math.floor(random() * 350));
            const duringOutage = kill % OUTAGE_EVERY === OUTAGE_EVERY - 1;
            if (duringOutage) {
              await store.takeDown();
              await sleep(300);
              bufferedAtKill += spilledLines(spillPath);
              killsDuringOutage += 1;
            }
            await worker.killHard();
            if (duringOutage) await store.bringBack();
          } finally {
            await worker.killHard();
          }
          for (const line of worker.lines) {
            const [kind, requestId, cost] = line.split(' ');
            if (kind === 'G') gated.add(requestId!);
            if (kind === 'S') settled.set(requestId!, Number(cost));
          }
        }

        // A fresh process replays what the last worker left in the spill file.
        const replay = startWorkerProcess(WORKER, { ...env, MAX_CALLS: '0' });
        try {
          await replay.waitForLine((line) => line === 'REPLAYED 0');
          expect(await replay.exited()).toBe(0);
        } finally {
          await replay.killHard();
        }
        expect(spilledLines(spillPath)).toBe(0);

        await sleep(LEASE_MS + 500);
        const reader = store.openStore();
        const [state] = await reader.readCounters([COUNTER], Date.now());
        const budget = createBudget({ store: reader, budgets: BUDGETS });
        const [status] = await budget.status();
        await budget.close();
        const ledger = await store.readLedger();
        const audit = auditRecords(settled, ledger, 'app|global|total');

        expect(audit.lost).toEqual([]);
        expect(audit.wrongCost).toEqual([]);
        // A record no settle reported is a call whose commit landed just before the kill.
        expect([...ledger.records.keys()].filter((requestId) => !gated.has(requestId))).toEqual([]);
        // Reservations expired: nothing held, the whole limit minus what was spent is available.
        expect(state!.reserved).toBe(0);
        expect(status!.reservedNano).toBe(0);
        expect(ledger.counters.map((counter) => counter.reserved)).toEqual([0]);
        // What the store would still admit, against what the limit leaves after the spend.
        const available = usdToNano(LIMIT_USD) - state!.committed - state!.reserved;
        const leakedNano = usdToNano(LIMIT_USD) - ledger.counters[0]!.committed - available;
        expect(leakedNano).toBe(0);
        expect(status!.usedNano).toBe(ledger.counters[0]!.committed);
        // Replays never double count, and no record stays uncharged: SQLite commits in one
        // transaction; MongoStore finishes a commit cut off by the kill when it is replayed, or
        // when its expired hold is reclaimed (its README, "Exactly-once charges").
        expect(audit.committedMinusRecorded).toBeLessThanOrEqual(0);
        const uncountedNano = Math.max(0, -audit.committedMinusRecorded);
        expect(uncountedNano).toBe(0);

        figures.push({
          store: kind,
          kills: KILLS,
          killsDuringOutage,
          gatedCalls: gated.size,
          settledCalls: settled.size,
          records: ledger.records.size,
          recordsWithoutReportedSettle: ledger.records.size - settled.size,
          bufferedInSpillAtKill: bufferedAtKill,
          replayedFromSpillAtStart: replayedAtStart,
          recordsLost: audit.lost.length,
          doubleCountedNano: Math.max(0, audit.committedMinusRecorded),
          recordedButUnchargedNano: uncountedNano,
          reservedAfterLeaseNano: state!.reserved,
          leakedAfterLeaseNano: leakedNano,
          runSeconds: Math.round((performance.now() - started) / 100) / 10,
        });
      } finally {
        await store.close();
      }
    });
  }
});
