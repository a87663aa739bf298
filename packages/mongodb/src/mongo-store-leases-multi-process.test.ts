import { fileURLToPath } from 'node:url';
import { usdToNano } from '@tollgate/core';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testServerUri, uniqueName } from './testing/test-database';
import { bundleStoreForWorkers, runWorkers } from './testing/worker-processes';

const PROCESSES = 8;
const CALLS_PER_PROCESS = 100;
const LIMIT_USD = 1;
const worker = fileURLToPath(new URL('./testing/gated-calls-worker.mjs', import.meta.url));

interface WorkerResult {
  instanceId: string;
  admitted: number;
  refused: number;
  refusals: { reason: string; neededNano: number; availableNano: number }[];
  statusLeases: { instanceId: string } | undefined;
  errors: string[];
}

let bundle: Awaited<ReturnType<typeof bundleStoreForWorkers>> | undefined;
const client = new MongoClient(testServerUri());
const dbName = uniqueName('lease_processes');

beforeAll(async () => {
  bundle = await bundleStoreForWorkers();
});

afterAll(async () => {
  await client.db(dbName).dropDatabase();
  await client.close();
  await bundle?.remove();
});

it(`${PROCESSES} processes × ${CALLS_PER_PROCESS} concurrent gated calls from quota leases never overspend one budget and give every lease back`, async () => {
  const results = await runWorkers<WorkerResult>(worker, PROCESSES, (index) => ({
    MONGO_STORE_MODULE: bundle!.module,
    MONGODB_URI: testServerUri(),
    DB_NAME: dbName,
    LIMIT_USD: String(LIMIT_USD),
    CALLS: String(CALLS_PER_PROCESS),
    // gpt-4o: 1,000 input tokens and at most 200 output tokens hold about $0.0045.
    CALL: JSON.stringify({ model: 'gpt-4o', maxOutputTokens: 200, outputTokens: [20, 181] }),
    LEASES: JSON.stringify({ instanceId: `worker-${index}`, flushIntervalMs: 50 }),
  }));
  expect(results.flatMap((result) => result.errors)).toEqual([]);
  const admitted = results.reduce((sum, result) => sum + result.admitted, 0);
  const refused = results.reduce((sum, result) => sum + result.refused, 0);
  expect(admitted + refused).toBe(PROCESSES * CALLS_PER_PROCESS);
  expect(refused).toBeGreaterThan(0);
  // Each status shows this instance's leases.
  expect(results.map((result) => result.statusLeases?.instanceId)).toEqual(
    results.map((result) => result.instanceId),
  );

  // A call was refused only when the store, asked for the call's own reservation, had less
  // than its amount left that no one held.
  const refusals = results.flatMap((result) => result.refusals);
  expect(refusals).toHaveLength(refused);
  for (const refusal of refusals) {
    expect(refusal.reason).not.toBe('per-call-cap');
    expect(refusal.availableNano).toBeLessThan(refusal.neededNano);
  }

  // Every process has closed: every record is written and every lease given back.
  const db = client.db(dbName);
  const counters = await db.collection('tollgate_counters').find().toArray();
  expect(counters).toHaveLength(1);
  const [counter] = counters;
  const usages = await db.collection('tollgate_usages').find().toArray();
  const recordedCost = usages.reduce((sum, usage) => sum + Number(usage.cost), 0);
  expect(usages).toHaveLength(admitted);
  expect(Number(counter!.committed)).toBe(recordedCost);
  expect(Number(counter!.committed)).toBeLessThanOrEqual(usdToNano(LIMIT_USD));
  expect(Number(counter!.reserved)).toBe(0);
  expect(Number(counter!.used)).toBe(recordedCost);
  expect(counter!.holds).toEqual([]);
  expect(await db.collection('tollgate_reservations').countDocuments()).toBe(0);

  // Leases were used: a call admitted from a lease is recorded without a reservation of its own
  // (7 to 8 in 10 here; a quarter leaves room for processes that start far apart).
  const fromLeases = usages.filter((usage) => usage.reservationId === undefined).length;
  expect(fromLeases).toBeGreaterThan(admitted / 4);
});
