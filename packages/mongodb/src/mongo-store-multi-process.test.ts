import { fileURLToPath } from 'node:url';
import { ALERT_LEVELS, DEFAULT_THRESHOLDS, alertLevelFor, severityOf, usdToNano } from '@tollgate/core';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testServerUri, uniqueName } from './testing/test-database';
import { bundleStoreForWorkers, runWorkers } from './testing/worker-processes';

const PROCESSES = 4;
const CALLS_PER_PROCESS = 50;
const LIMIT_USD = 0.05;
const worker = fileURLToPath(new URL('./testing/gated-calls-worker.mjs', import.meta.url));

let bundle: Awaited<ReturnType<typeof bundleStoreForWorkers>> | undefined;
const client = new MongoClient(testServerUri());
const dbName = uniqueName('processes');

beforeAll(async () => {
  bundle = await bundleStoreForWorkers();
});

afterAll(async () => {
  await client.db(dbName).dropDatabase();
  await client.close();
  await bundle?.remove();
});

it(`${PROCESSES} processes × ${CALLS_PER_PROCESS} concurrent gated calls never overspend one budget`, async () => {
  const results = await runWorkers<{ admitted: number; refused: number; alerts: string[]; errors: string[] }>(
    worker,
    PROCESSES,
    () => ({
      MONGO_STORE_MODULE: bundle!.module,
      MONGODB_URI: testServerUri(),
      DB_NAME: dbName,
      LIMIT_USD: String(LIMIT_USD),
      CALLS: String(CALLS_PER_PROCESS),
      // Each call costs most of what it reserved (gpt-4o-mini, at most 1,000 output tokens, settled
      // with 600 to 999), so that the calls admitted first carry the spend past the ORANGE alert
      // level however the processes interleave.
      CALL: JSON.stringify({ model: 'gpt-4o-mini', maxOutputTokens: 1_000, outputTokens: [600, 400] }),
    }),
  );
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
