// MongoStore against a MongoDB-wire test server started here on 127.0.0.1: mongo-java-server (in
// memory) by default, MONGODB_TEST_SERVER=ferretdb (or secantusdb) for another.
// Run after `pnpm build`: `pnpm bench`. Sizes: GATES=300 SINGLE=2000 BATCHED=100000 BATCH=5000
// SMALL_HISTORY=10000 LARGE_HISTORY=1000000 LEASE_PROCESSES=8 LEASE_LOOPS=8 LEASE_SECONDS=3
// LEASE_WARMUP=200 STRANDED_LIMIT_USD=2 LEASE_WRITE_BATCH=200. SECTIONS=writes (or any of gates,writes,breakdowns,leases,
// comma-separated) runs only those; the default is all four.
//
// 1. Round trips (commands the driver sends, counted with command monitoring) and time of
//    one gate + settle through core's createBudget, with one and with two budgets.
// 2. Usage writes: `commit` one at a time versus `commitMany` in batches (records/s).
// 3. A 30-day breakdown (`queryRollups`) over 10,000 versus 1,000,000 recorded usages.
//    The histories are written day after day with `commitMany` (the store's own batched
//    path), so every usage document, counter and rollup row is really there.
// 4. Quota leases, with LEASE_PROCESSES processes (bench/lease-worker.mjs) on ONE budget:
//    gated calls per second with leases versus a reservation per call (each process runs
//    LEASE_LOOPS concurrent loops of gate + settle for LEASE_SECONDS, after LEASE_WARMUP calls,
//    and the time measured ends once every record is written), beside the records per second the
//    server takes from as many processes writing `commitMany` batches of LEASE_WRITE_BATCH with
//    nothing gated (every leased call writes one record: the ceiling); commands per gated call
//    with leases over that same window; and, on a budget of STRANDED_LIMIT_USD gated until every
//    loop is refused, what the other instances' leases had free at the first refusal anywhere,
//    what they held whole at each process's first refusal (the largest), how far that refusal
//    found the counter over its capacity, and the share of the limit spent in the end.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createBudget, createUsage } from '@tollgate/core';
import { MongoClient } from 'mongodb';
import { startMongoTestServer } from '../test-server/start-test-server.mjs';
import { MongoStore } from '../dist/index.js';
import { commitRequest } from './commit-request.mjs';

const GATES = Number(process.env.GATES ?? 300);
const SINGLE = Number(process.env.SINGLE ?? 2_000);
const BATCHED = Number(process.env.BATCHED ?? 100_000);
const BATCH = Number(process.env.BATCH ?? 5_000);
const SMALL_HISTORY = Number(process.env.SMALL_HISTORY ?? 10_000);
const LARGE_HISTORY = Number(process.env.LARGE_HISTORY ?? 1_000_000);
const LEASE_PROCESSES = Number(process.env.LEASE_PROCESSES ?? 8);
const LEASE_LOOPS = Number(process.env.LEASE_LOOPS ?? 8);
const LEASE_SECONDS = Number(process.env.LEASE_SECONDS ?? 3);
const LEASE_WARMUP = Number(process.env.LEASE_WARMUP ?? 200);
const STRANDED_LIMIT_USD = Number(process.env.STRANDED_LIMIT_USD ?? 2);
/** About what a leasing process writes at each flush (200 ms) at the rates measured here. */
const LEASE_WRITE_BATCH = Number(process.env.LEASE_WRITE_BATCH ?? 200);
const QUERY_REPEATS = 20;
const SERVER = process.env.MONGODB_TEST_SERVER ?? 'java';
const SECTIONS = new Set((process.env.SECTIONS ?? 'gates,writes,breakdowns,leases').split(','));
const SERVER_NAMES = {
  java: 'mongo-java-server 1.47.0',
  ferretdb: 'FerretDB 1.24.2 (SQLite)',
  secantusdb: 'SecantusDB 0.7.0b3',
};

const DAYS = Array.from({ length: 30 }, (_, index) => `2026-11-${String(index + 1).padStart(2, '0')}`);
const NOW = Date.UTC(2026, 10, 30, 12);

const server = await startMongoTestServer({ kind: SERVER });
// Command monitoring copies every command into an event, so only the round-trip count uses it.
const monitored = new MongoClient(server.uri, { monitorCommands: true });
const client = new MongoClient(server.uri);
let commands = 0;
monitored.on('commandStarted', () => {
  commands += 1;
});
const rows = [];

try {
  if (SECTIONS.has('gates')) {
    await roundTrips(1);
    await roundTrips(2);
  }
  if (SECTIONS.has('writes')) await usageWrites();
  if (SECTIONS.has('breakdowns')) await breakdowns();
  if (SECTIONS.has('leases')) await leases();
  printTable();
} finally {
  await monitored.close();
  await client.close();
  await server.stop();
}

async function roundTrips(budgetCount) {
  const dbName = `bench_gate_${budgetCount}`;
  const budgets = [
    { id: 'app', limitUsd: 1_000_000, period: 'month' },
    { id: 'per-user', limitUsd: 1_000_000, period: 'day', scope: 'user' },
  ].slice(0, budgetCount);
  const budget = createBudget({ store: new MongoStore({ client: monitored, dbName }), budgets });
  const call = async () => {
    const admission = await budget.withContext({ userId: 'u-1' }, () =>
      budget.gate({ provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1_000, maxOutputTokens: 500 }),
    );
    const gateCommands = commands;
    await admission.settle({ usage: createUsage({ inputTokens: 1_000, outputTokens: 200 }) });
    return gateCommands;
  };
  for (let index = 0; index < 20; index++) await call(); // connect, indexes, first counters
  let gate = 0;
  let settle = 0;
  const start = performance.now();
  for (let index = 0; index < GATES; index++) {
    const before = commands;
    const afterGate = await call();
    gate += afterGate - before;
    settle += commands - afterGate;
  }
  const milliseconds = (performance.now() - start) / GATES;
  await budget.close();
  await monitored.db(dbName).dropDatabase();
  rows.push([
    `gate + settle, ${budgetCount} budget${budgetCount > 1 ? 's' : ''} (${budgetCount} counter${budgetCount > 1 ? 's' : ''})`,
    `${fixed(gate / GATES, 1)} + ${fixed(settle / GATES, 1)} = ${fixed((gate + settle) / GATES, 1)} round trips`,
    `${fixed(milliseconds, 2)} ms per call`,
  ]);
}

async function usageWrites() {
  const dbName = 'bench_writes';
  const store = new MongoStore({ client, dbName });
  await store.readCounters([], NOW);
  let start = performance.now();
  const today = DAYS.at(-1);
  for (let index = 0; index < SINGLE; index++) await store.commit(commitRequest(index, today));
  const single = SINGLE / ((performance.now() - start) / 1_000);
  start = performance.now();
  for (let offset = 0; offset < BATCHED; offset += BATCH) {
    const size = Math.min(BATCH, BATCHED - offset);
    await store.commitMany(
      Array.from({ length: size }, (_, index) => commitRequest(SINGLE + offset + index, today)),
    );
  }
  const batched = BATCHED / ((performance.now() - start) / 1_000);
  await store.close();
  await client.db(dbName).dropDatabase();
  rows.push([`commit, one at a time (${count(SINGLE)} records)`, `${count(single)} records/s`, '']);
  rows.push([
    `commitMany, batches of ${count(BATCH)} (${count(BATCHED)} records)`,
    `${count(batched)} records/s`,
    `${fixed(batched / single, 1)}× one at a time`,
  ]);
}

async function breakdowns() {
  const small = await breakdown(SMALL_HISTORY);
  const large = await breakdown(LARGE_HISTORY);
  rows.push([
    'breakdown ratio',
    `${fixed(large.milliseconds / small.milliseconds, 2)}× the time for ${fixed(LARGE_HISTORY / SMALL_HISTORY, 0)}× the usages`,
    '',
  ]);
}

async function breakdown(history) {
  const dbName = `bench_breakdown_${history}`;
  const store = new MongoStore({ client, dbName });
  const setupStart = performance.now();
  for (let offset = 0; offset < history; offset += BATCH) {
    const size = Math.min(BATCH, history - offset);
    await store.commitMany(
      Array.from({ length: size }, (_, index) => {
        const number = offset + index;
        return commitRequest(number, DAYS[Math.floor((number * DAYS.length) / history)]);
      }),
    );
  }
  const setupSeconds = (performance.now() - setupStart) / 1_000;
  const query = { fromDay: DAYS[0], toDay: DAYS.at(-1) };
  const result = await store.queryRollups(query);
  const total = result.reduce((sum, row) => sum + row.requests, 0);
  if (total !== history) throw new Error(`breakdown counted ${total} requests, expected ${history}`);
  const times = [];
  for (let index = 0; index < QUERY_REPEATS; index++) {
    const start = performance.now();
    await store.queryRollups(query);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const milliseconds = times[Math.floor(times.length / 2)];
  await store.close();
  await client.db(dbName).dropDatabase();
  rows.push([
    `breakdown, 30 days over ${count(history)} usages`,
    `${fixed(milliseconds, 2)} ms (median of ${QUERY_REPEATS})`,
    `${count(result.length)} rollup rows; history written in ${fixed(setupSeconds, 1)} s`,
  ]);
  return { milliseconds };
}

async function leases() {
  const perCall = await leaseThroughput(false);
  const leased = await leaseThroughput(true);
  const writes = await serverWriteRate();
  const setup = `${LEASE_PROCESSES} processes × ${LEASE_LOOPS} loops, 1 budget`;
  rows.push([`gated calls/s, ${setup}, a reservation per call`, `${count(perCall.rate)} calls/s`, '']);
  rows.push([
    `gated calls/s, ${setup}, leases`,
    `${count(leased.rate)} calls/s`,
    `${fixed(leased.rate / perCall.rate, 1)}× a reservation per call; ${fixed(leased.rate / writes, 2)}× the records/s the server takes (below)`,
  ]);
  rows.push([
    `records/s the server takes, ${LEASE_PROCESSES} processes, commitMany of ${LEASE_WRITE_BATCH}`,
    `${count(writes)} records/s`,
    'no gating: the ceiling of leased calls, each of which writes one record',
  ]);
  rows.push([
    'round trips per gated call, leases',
    `${fixed(leased.commands / leased.calls, 4)} round trips`,
    `${count(leased.commands)} commands for ${count(leased.calls)} calls, after ${count(LEASE_WARMUP)} a process; ${fixed(perCall.commands / perCall.calls, 1)} per call without`,
  ]);

  const dbName = 'bench_leases_stranded';
  const { results, unspentByOthers } = await runStrandedWorkers({
    MODE: 'stranded',
    DB_NAME: dbName,
    LEASES: '1',
    LIMIT_USD: String(STRANDED_LIMIT_USD),
  });
  const limit = STRANDED_LIMIT_USD * 1e9;
  const held = Math.max(...results.map((result) => result.heldByOthersNano));
  const over = Math.max(...results.map((result) => result.overNano));
  const [counter] = await client.db(dbName).collection('tollgate_counters').find().toArray();
  await client.db(dbName).dropDatabase();
  rows.push([
    'leased to others and unspent at the first refusal',
    `${fixed((100 * unspentByOthers) / limit, 2)} % of the limit`,
    `$${STRANDED_LIMIT_USD} limit; what the other instances' leases had free when asked at the first refusal`,
  ]);
  rows.push([
    'held by others at a first refusal (largest)',
    `${fixed((100 * held) / limit, 2)} % of the limit`,
    `their leases whole: free, held by calls in flight, spent; each process: ${results.map((result) => fixed((100 * result.heldByOthersNano) / limit, 2)).join(', ')} %`,
  ]);
  rows.push([
    'counter over its capacity at a first refusal (largest)',
    `${fixed((100 * over) / limit, 2)} % of the limit`,
    'committed + reserved − capacity: spend written while the lease that admitted it is still held',
  ]);
  rows.push([
    'limit spent once every loop was refused',
    `${fixed((100 * Number(counter.committed)) / limit, 2)} %`,
    `${count(results.reduce((sum, result) => sum + result.calls, 0))} calls; ${Number(counter.reserved)} reserved, ${counter.holds.length} holds left`,
  ]);
}

/** Gated calls per second (every record written) and commands per call, with or without leases. */
async function leaseThroughput(leasing) {
  const dbName = `bench_leases_${leasing ? 'on' : 'off'}`;
  const { results, seconds } = await runLeaseWorkers({
    MODE: 'throughput',
    DB_NAME: dbName,
    LEASES: leasing ? '1' : '0',
    LIMIT_USD: '1000000',
  });
  await client.db(dbName).dropDatabase();
  const calls = results.reduce((sum, result) => sum + result.calls, 0);
  const commands = results.reduce((sum, result) => sum + result.commands, 0);
  return { rate: calls / seconds, calls, commands };
}

/** Starts the lease workers, waits until each is ready, starts them at once; their results and the seconds until the last one reported. */
/** Records a second the server takes from LEASE_PROCESSES processes writing with commitMany, nothing gated. */
async function serverWriteRate() {
  const dbName = 'bench_leases_writes';
  const { results } = await runLeaseWorkers({
    MODE: 'writes',
    DB_NAME: dbName,
    LEASES: '0',
    LIMIT_USD: '1000000',
    WRITE_BATCH: String(LEASE_WRITE_BATCH),
  });
  await client.db(dbName).dropDatabase();
  const records = results.reduce((sum, result) => sum + result.records, 0);
  return records / (Math.max(...results.map((result) => result.elapsedMs)) / 1_000);
}

async function runLeaseWorkers(env) {
  const workers = await startLeaseWorkers(env);
  const start = performance.now();
  for (const worker of workers) worker.child.stdin.end('go\n');
  const results = await Promise.all(workers.map((worker) => worker.next()));
  const seconds = (performance.now() - start) / 1_000;
  await Promise.all(workers.map((worker) => worker.exited));
  return { results, seconds };
}

/**
 * Runs the workers until each is refused; at the first refusal anywhere, asks every other worker
 * what its own leases hold unspent at that moment, and sums the answers.
 */
async function runStrandedWorkers(env) {
  const workers = await startLeaseWorkers(env);
  for (const worker of workers) worker.child.stdin.write('go\n');
  let firstRefused;
  let unspentByOthers = 0;
  const results = await Promise.all(
    workers.map(async (worker, index) => {
      for (;;) {
        const line = await worker.next();
        if (line.refused) {
          if (firstRefused === undefined) {
            firstRefused = index;
            for (const other of workers) if (other !== worker) other.child.stdin.write('snapshot\n');
          }
        } else if (line.unspentNano !== undefined) unspentByOthers += line.unspentNano;
        else return line;
      }
    }),
  );
  for (const worker of workers) worker.child.stdin.end();
  await Promise.all(workers.map((worker) => worker.exited));
  return { results, unspentByOthers };
}

async function startLeaseWorkers(env) {
  const script = fileURLToPath(new URL('./lease-worker.mjs', import.meta.url));
  const workers = Array.from({ length: LEASE_PROCESSES }, (_, index) => {
    const child = spawn(process.execPath, [script], {
      env: {
        ...process.env,
        ...env,
        URI: server.uri,
        INSTANCE: `bench-${index}`,
        LOOPS: String(LEASE_LOOPS),
        DURATION_MS: String(LEASE_SECONDS * 1_000),
        WARMUP: String(LEASE_WARMUP),
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const exited = once(child, 'exit');
    const next = async () => {
      const { value, done } = await lines.next();
      if (done) throw new Error(`lease worker ${index} exited with ${(await exited)[0]}`);
      return JSON.parse(value);
    };
    return { child, next, exited };
  });
  await Promise.all(workers.map((worker) => worker.next()));
  return workers;
}

function printTable() {
  const headers = ['measure', 'result', 'note'];
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => String(row[column]).length)),
  );
  const line = (cells) =>
    `| ${cells.map((cell, column) => String(cell).padEnd(widths[column])).join(' | ')} |`;
  console.log(`MongoStore on ${SERVER_NAMES[SERVER] ?? SERVER}, Node ${process.version}`);
  console.log(line(headers));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(row));
}

function fixed(value, digits) {
  return value.toFixed(digits);
}

function count(value) {
  return Math.round(value).toLocaleString('en-US');
}
