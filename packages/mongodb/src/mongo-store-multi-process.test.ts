import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ALERT_LEVELS, DEFAULT_THRESHOLDS, alertLevelFor, severityOf, usdToNano } from '@tollgate/core';
import { MongoClient } from 'mongodb';
import { build } from 'tsup';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testServerUri, uniqueName } from './testing/test-database';

const PROCESSES = 4;
const CALLS_PER_PROCESS = 50;
const LIMIT_USD = 0.05;
const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
const worker = fileURLToPath(new URL('./testing/gated-calls-worker.mjs', import.meta.url));
const run = promisify(execFile);

let bundleDirectory: string;
const client = new MongoClient(testServerUri());
const dbName = uniqueName('processes');

// Child processes run plain JavaScript, so the store is bundled from source first. The bundle
// sits inside the package so that it resolves `mongodb` and `@tollgate/core` like the tests do.
beforeAll(async () => {
  bundleDirectory = await mkdtemp(join(packageDirectory, 'node_modules', '.multi-process-'));
  await build({
    entry: { 'mongo-store': join(packageDirectory, 'src/index.ts') },
    format: ['esm'],
    outDir: bundleDirectory,
    external: ['mongodb', '@tollgate/core'],
    config: false,
    silent: true,
    dts: false,
  });
});

afterAll(async () => {
  await client.db(dbName).dropDatabase();
  await client.close();
  if (bundleDirectory) await rm(bundleDirectory, { recursive: true, force: true });
});

it(`${PROCESSES} processes × ${CALLS_PER_PROCESS} concurrent gated calls never overspend one budget`, async () => {
  const outputs = await Promise.all(
    Array.from({ length: PROCESSES }, () =>
      run(process.execPath, [worker], {
        cwd: packageDirectory,
        env: {
          ...process.env,
          MONGO_STORE_MODULE: join(bundleDirectory, 'mongo-store.js'),
          MONGODB_URI: testServerUri(),
          DB_NAME: dbName,
          LIMIT_USD: String(LIMIT_USD),
          CALLS: String(CALLS_PER_PROCESS),
        },
        timeout: 100_000,
      }),
    ),
  );
  const results = outputs.map(({ stdout }) => JSON.parse(stdout.trim().split('\n').at(-1)!));
  expect(results.flatMap((result) => result.errors)).toEqual([]);
  const admitted = results.reduce((sum, result) => sum + result.admitted, 0);
  const refused = results.reduce((sum, result) => sum + result.refused, 0);
  expect(admitted + refused).toBe(PROCESSES * CALLS_PER_PROCESS);
  expect(refused).toBeGreaterThan(0);

  const db = client.db(dbName);
  const counters = await db.collection('tollgate_counters').find().toArray();
  expect(counters).toHaveLength(1);
  const [counter] = counters;
  const usages = await db.collection('tollgate_usages').find().toArray();
  const recordedCost = usages.reduce((sum, usage) => sum + Number(usage.cost), 0);
  const limit = usdToNano(LIMIT_USD);
  expect(usages).toHaveLength(admitted);
  expect(Number(counter!.committed)).toBe(recordedCost);
  expect(Number(counter!.committed)).toBeLessThanOrEqual(limit);
  expect(Number(counter!.reserved)).toBe(0);
  expect(Number(counter!.used)).toBe(recordedCost);
  expect(counter!.holds).toEqual([]);

  // Each commit reports the counter right after its own $inc, so across all processes
  // every alert level crossed fires exactly once.
  const reached = ALERT_LEVELS.indexOf(alertLevelFor(recordedCost, limit, DEFAULT_THRESHOLDS));
  const expected = ALERT_LEVELS.slice(1, reached + 1).filter((level) => severityOf(level) !== undefined);
  expect(results.flatMap((result) => result.alerts).sort()).toEqual([...expected].sort());
  expect(expected.length).toBeGreaterThan(0);
});
