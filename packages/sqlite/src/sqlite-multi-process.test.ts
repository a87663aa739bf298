import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { usdToNano } from '@tollgate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, PACKAGE_DIRECTORY } from './testing/built-package';
import { temporaryDirectory } from './testing/temporary-directory';

const WORKER = fileURLToPath(new URL('./testing/gated-calls-worker.mjs', import.meta.url));
const PROCESSES = 4;
const CALLS_PER_PROCESS = 50;
const LIMIT_USD = 0.03;

type Outcome = { admitted: false } | { admitted: true; recorded: boolean; cost: number };
type WorkerResult = { outcomes: Outcome[]; leaseReservations: number };

interface Worker {
  child: ChildProcess;
  ready: Promise<void>;
  done: Promise<WorkerResult>;
}

function startWorker(path: string, leases: boolean): Worker {
  const args = [WORKER, path, String(LIMIT_USD), String(CALLS_PER_PROCESS), leases ? 'leases' : 'per-call'];
  const child = spawn(process.execPath, args, {
    cwd: PACKAGE_DIRECTORY,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let onReady: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) onReady();
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<WorkerResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`worker exited with ${code}: ${stderr}`));
      resolve(JSON.parse(stdout.slice('ready\n'.length)) as WorkerResult);
    });
  });
  return { child, ready: Promise.race([ready, done.then(() => undefined)]), done };
}

describe('several processes on one SQLite file', () => {
  const directory = temporaryDirectory();

  beforeAll(ensureBuilt, 120_000);
  afterAll(() => directory.remove());

  it.each([
    ['', false],
    [', from quota leases', true],
  ])(
    `${PROCESSES} processes × ${CALLS_PER_PROCESS} concurrent gated calls%s never overspend one budget`,
    async (_, leases) => {
      const path = directory.file(`${leases ? 'leased' : 'shared'}/usage.db`);
      const workers = Array.from({ length: PROCESSES }, () => startWorker(path, leases));
      try {
        await Promise.all(workers.map((worker) => worker.ready));
        for (const worker of workers) worker.child.stdin!.end('go\n');
        const results = await Promise.all(workers.map((worker) => worker.done));
        const outcomes = results.flatMap((result) => result.outcomes);
        const leaseReservations = results.reduce((sum, result) => sum + result.leaseReservations, 0);
        if (leases) expect(leaseReservations).toBeGreaterThan(0);
        else expect(leaseReservations).toBe(0);

        const admitted = outcomes.filter((outcome) => outcome.admitted);
        expect(outcomes).toHaveLength(PROCESSES * CALLS_PER_PROCESS);
        expect(admitted.length).toBeGreaterThan(0);
        expect(admitted.length).toBeLessThan(outcomes.length);
        expect(admitted.every((outcome) => outcome.recorded)).toBe(true);

        const database = new BetterSqlite3(path, { readonly: true });
        try {
          const counters = database
            .prepare("SELECT committed, reserved FROM counters WHERE budget_id = 'app'")
            .all() as { committed: number; reserved: number }[];
          const records = database
            .prepare('SELECT count(*) AS count, sum(cost) AS cost FROM usage_records')
            .get() as {
            count: number;
            cost: number;
          };
          const rollups = database
            .prepare('SELECT sum(cost) AS cost, sum(requests) AS requests FROM model_rollups')
            .get() as {
            cost: number;
            requests: number;
          };
          const reservations = database.prepare('SELECT count(*) AS count FROM reservations').get() as {
            count: number;
          };
          expect(counters).toHaveLength(1);
          const [counter] = counters;
          expect(counter!.committed).toBeLessThanOrEqual(usdToNano(LIMIT_USD));
          expect(counter!.committed).toBe(records.cost);
          expect(counter!.committed).toBe(admitted.reduce((sum, outcome) => sum + outcome.cost, 0));
          expect(counter!.reserved).toBe(0);
          expect(reservations.count).toBe(0);
          expect(records.count).toBe(admitted.length);
          expect(rollups).toEqual({ cost: records.cost, requests: records.count });
        } finally {
          database.close();
        }
      } finally {
        for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill();
      }
    },
    120_000,
  );
});
