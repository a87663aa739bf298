// MongoStore against a MongoDB-wire test server started here on 127.0.0.1: mongo-java-server (in
// memory) by default, MONGODB_TEST_SERVER=ferretdb (or secantusdb) for another.
// Run after `pnpm build`: `pnpm bench`. Sizes: GATES=300 SINGLE=2000 BATCHED=100000 BATCH=5000
// SMALL_HISTORY=10000 LARGE_HISTORY=1000000. SECTIONS=writes (or any of gates,writes,breakdowns,
// comma-separated) runs only those; the default is all three.
//
// 1. Round trips (commands the driver sends, counted with command monitoring) and time of
//    one gate + settle through core's createBudget, with one and with two budgets.
// 2. Usage writes: `commit` one at a time versus `commitMany` in batches (records/s).
// 3. A 30-day breakdown (`queryRollups`) over 10,000 versus 1,000,000 recorded usages.
//    The histories are written day after day with `commitMany` (the store's own batched
//    path), so every usage document, counter and rollup row is really there.
import { performance } from 'node:perf_hooks';
import { createBudget, createUsage } from '@tollgate/core';
import { MongoClient } from 'mongodb';
import { startMongoTestServer } from '../test-server/start-test-server.mjs';
import { MongoStore } from '../dist/index.js';

const GATES = Number(process.env.GATES ?? 300);
const SINGLE = Number(process.env.SINGLE ?? 2_000);
const BATCHED = Number(process.env.BATCHED ?? 100_000);
const BATCH = Number(process.env.BATCH ?? 5_000);
const SMALL_HISTORY = Number(process.env.SMALL_HISTORY ?? 10_000);
const LARGE_HISTORY = Number(process.env.LARGE_HISTORY ?? 1_000_000);
const QUERY_REPEATS = 20;
const SERVER = process.env.MONGODB_TEST_SERVER ?? 'java';
const SECTIONS = new Set((process.env.SECTIONS ?? 'gates,writes,breakdowns').split(','));
const SERVER_NAMES = {
  java: 'mongo-java-server 1.47.0',
  ferretdb: 'FerretDB 1.24.2 (SQLite)',
  secantusdb: 'SecantusDB 0.7.0b3',
};

const DAYS = Array.from({ length: 30 }, (_, index) => `2026-11-${String(index + 1).padStart(2, '0')}`);
const PROVIDERS = [
  ['openai', 'gpt-4o'],
  ['openai', 'gpt-4o-mini'],
  ['anthropic', 'claude-sonnet-4-5'],
  ['anthropic', 'claude-haiku-4-5'],
  ['mistral', 'mistral-large-latest'],
  ['mistral', 'mistral-small-latest'],
];
const USERS = 20;
const REQUEST_TYPES = ['chat', 'summarize'];
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

/** Usage number `index` on `day`, spread over 6 models, 20 users and 2 request types. */
function commitRequest(index, day) {
  const [provider, model] = PROVIDERS[Math.floor(index / 7) % PROVIDERS.length];
  return {
    record: {
      requestId: `bench-${index}`,
      timestamp: NOW,
      day,
      provider,
      model,
      catalogModel: model,
      service: 'llm',
      requestType: REQUEST_TYPES[Math.floor(index / 3) % REQUEST_TYPES.length],
      userId: `u-${Math.floor(index / 11) % USERS}`,
      tags: [],
      cost: 1_000 + (index % 997),
      reserved: 0,
      overrun: 0,
      estimated: false,
      priceSource: 'genai-prices',
      inputTokens: 1_000,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 200,
      reasoningTokens: 0,
      audioMilliseconds: 0,
      characters: 0,
      images: 0,
      pages: 0,
    },
    counters: [{ budgetId: 'app', scope: 'global', period: 'month:2026-11', day }],
    now: NOW,
  };
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
