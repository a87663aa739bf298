import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createBudget } from '@tollgate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { PROFILE, sized } from '../profile';
import { auditRecords } from './record-audit';
import { mongodbUnderFault, sqliteUnderFault } from './store-under-fault';
import { startWorkerProcess } from './worker-process';

const WORKER = fileURLToPath(new URL('./buffering-worker-process.mjs', import.meta.url));
const CALLS = sized({ ci: 20, full: 200 });
const LEASE_MS = 2_000;
const BUDGETS = [{ id: 'app', limitUsd: 100, period: 'total' as const }];

const figures: Record<string, unknown>[] = [];
const directories: string[] = [];

afterAll(() => {
  console.log(`Spill file replay after kill -9 (${PROFILE} profile):\n${JSON.stringify(figures, null, 2)}`);
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

describe('usage buffered when the process is killed is replayed by a restarted process, exactly once', () => {
  for (const kind of ['mongodb', 'sqlite'] as const) {
    it(`${kind}: ${CALLS} settles buffered, kill -9, replay, replay the same spill again`, async () => {
      const started = performance.now();
      const directory = mkdtempSync(join(tmpdir(), 'tollgate-spill-'));
      directories.push(directory);
      const spillPath = join(directory, 'usage-buffer.jsonl');
      const store = kind === 'mongodb' ? await mongodbUnderFault() : sqliteUnderFault(directory);
      const env = {
        ...store.env,
        SPILL_PATH: spillPath,
        CALLS: String(CALLS),
        PREFIX: `${kind}-${Date.now().toString(36)}`,
      };
      const app = startWorkerProcess(WORKER, { ...env, ROLE: 'load' });
      try {
        await app.waitForLine((line) => line === 'ADMITTED');
        await store.takeDown();
        app.send('SETTLE');
        const line = await app.waitForLine((candidate) => candidate.startsWith('SETTLED '));
        const { settled, pending } = JSON.parse(line.slice('SETTLED '.length)) as {
          settled: { requestId: string; cost: number; buffered: boolean }[];
          pending: number;
        };
        expect(settled.filter((call) => !call.buffered)).toEqual([]);
        expect(pending).toBe(CALLS);
        const spilled = readFileSync(spillPath, 'utf8').trim().split('\n');
        expect(spilled).toHaveLength(CALLS);
        await app.killHard();
        // A second copy, replayed once the first replay wrote everything: as if the replaying
        // process died after its writes and before it emptied the file.
        const copy = join(directory, 'usage-buffer-copy.jsonl');
        copyFileSync(spillPath, copy);
        await store.bringBack();

        const replays = [];
        for (const path of [spillPath, copy]) {
          const replay = startWorkerProcess(WORKER, { ...env, SPILL_PATH: path, ROLE: 'replay' });
          try {
            const output = await replay.waitForLine((candidate) => candidate.startsWith('REPLAYED '));
            expect(await replay.exited()).toBe(0);
            replays.push(
              JSON.parse(output.slice('REPLAYED '.length)) as { waiting: number; remaining: number },
            );
          } finally {
            await replay.killHard();
          }
        }
        expect(replays).toEqual([
          { waiting: CALLS, remaining: 0 },
          { waiting: CALLS, remaining: 0 },
        ]);
        expect(readFileSync(spillPath, 'utf8')).toBe('');

        await sleep(LEASE_MS + 500);
        const reader = createBudget({ store: store.openStore(), budgets: BUDGETS });
        const [status] = await reader.status();
        await reader.close();
        const ledger = await store.readLedger();
        const audit = auditRecords(
          new Map(settled.map((call) => [call.requestId, call.cost])),
          ledger,
          'app|global|total',
        );
        expect(audit).toEqual({ lost: [], unexpected: [], wrongCost: [], committedMinusRecorded: 0 });
        expect(ledger.records.size).toBe(CALLS);
        expect(status!.usedNano).toBe(ledger.recordedCost);
        expect(status!.reservedNano).toBe(0);
        figures.push({
          store: kind,
          bufferedAtKill: pending,
          replayedTwice: CALLS,
          recordsLost: audit.lost.length,
          recordsUnexpected: audit.unexpected.length,
          committedMinusRecordedNano: audit.committedMinusRecorded,
          reservedAfterLeaseNano: status!.reservedNano,
          runSeconds: Math.round((performance.now() - started) / 100) / 10,
        });
      } finally {
        await app.killHard();
        await store.close();
      }
    });
  }
});
