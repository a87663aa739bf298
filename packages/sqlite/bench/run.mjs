// Benchmarks of @tollgate/sqlite, measured on the BUILT package (`pnpm --filter @tollgate/sqlite bench`
// builds first). BENCH_MS sets the length of a throughput measurement (default 1000 ms);
// BENCH_LARGE the number of usages of the large breakdown store (default 1,000,000).
// Every figure comes with a ratio against a baseline measured in the same run.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createBudget, createUsage, MemoryStore } from '@tollgate/core';
import { SqliteStore } from '../dist/index.js';

const MEASURE_MS = Number(process.env.BENCH_MS ?? 1000);
const LARGE_USAGES = Number(process.env.BENCH_LARGE ?? 1_000_000);
const SMALL_USAGES = 10_000;
const BATCH = 10_000;
const DAYS = Array.from({ length: 30 }, (_, index) => `2026-11-${String(index + 1).padStart(2, '0')}`);
const MODELS = [
  ['openai', 'gpt-4o-mini'],
  ['openai', 'gpt-4o'],
  ['anthropic', 'claude-haiku-4-5'],
  ['anthropic', 'claude-sonnet-4-5'],
  ['mistral', 'mistral-small-latest'],
  ['mistral', 'mistral-large-latest'],
];
const USERS = Array.from({ length: 10 }, (_, index) => `u-${index}`);
const COUNTER = { budgetId: 'app', scope: 'global', period: 'month:2026-11' };
const T0 = Date.UTC(2026, 10, 1);

const directory = mkdtempSync(join(tmpdir(), 'tollgate-sqlite-bench-'));
const file = (name) => join(directory, name);

const format = {
  rate: (value, unit) => `${Math.round(value).toLocaleString('en-US')} ${unit}/s`,
  ms: (value) => `${value < 1 ? value.toFixed(3) : value.toFixed(1)} ms`,
  ratio: (value) => `${value >= 10 ? value.toFixed(0) : value.toPrecision(2)}×`,
  count: (value) => value.toLocaleString('en-US'),
};

/** Runs the async `fn` back to back for about MEASURE_MS after a warm-up; returns calls per second. */
async function callsPerSecond(fn) {
  const warmUntil = performance.now() + Math.min(200, MEASURE_MS / 2);
  while (performance.now() < warmUntil) await fn();
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < MEASURE_MS) {
    await fn();
    calls++;
  }
  return (calls / (performance.now() - start)) * 1000;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The `index`-th synthetic usage: the first 1,800 cover every day × model × user group once. */
function commitRequestOf(index, prefix) {
  const day = DAYS[index % DAYS.length];
  const [provider, model] = MODELS[Math.floor(index / DAYS.length) % MODELS.length];
  const userId = USERS[Math.floor(index / (DAYS.length * MODELS.length)) % USERS.length];
  return {
    record: {
      requestId: `${prefix}-${index}`,
      timestamp: T0 + index,
      day,
      provider,
      model,
      catalogModel: model,
      service: 'llm',
      requestType: 'chat',
      userId,
      tags: [],
      cost: 150_000 + (index % 1000) * 600,
      reserved: 0,
      overrun: 0,
      estimated: false,
      priceSource: 'genai-prices',
      inputTokens: 1000,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: index % 1000,
      reasoningTokens: 0,
      audioMilliseconds: 0,
      characters: 0,
      images: 0,
      pages: 0,
    },
    counters: [{ ...COUNTER, day }],
    now: T0 + index,
  };
}

async function fill(store, usages, prefix) {
  const start = performance.now();
  for (let first = 0; first < usages; first += BATCH) {
    const batch = [];
    for (let index = first; index < Math.min(first + BATCH, usages); index++)
      batch.push(commitRequestOf(index, prefix));
    await store.commitMany(batch);
  }
  return (usages / (performance.now() - start)) * 1000;
}

// ─── Sections ───────────────────────────────────────────────────────────────────────────

async function gateAndSettleSection() {
  const request = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1000, maxOutputTokens: 500 };
  const usage = createUsage({ inputTokens: 1000, outputTokens: 300 });
  const measure = async (store) => {
    const budget = createBudget({ store, budgets: [{ id: 'app', limitUsd: 1_000_000, period: 'month' }] });
    const rate = await callsPerSecond(async () => {
      const admission = await budget.gate(request);
      await admission.settle({ usage });
    });
    await budget.close();
    return rate;
  };
  const memory = await measure(new MemoryStore());
  const sqlite = await measure(new SqliteStore({ path: file('gate.db') }));
  return [
    { measurement: 'MemoryStore', value: format.rate(memory, 'calls'), relative: '1×' },
    {
      measurement: 'SqliteStore (file, WAL)',
      value: format.rate(sqlite, 'calls'),
      relative: format.ratio(sqlite / memory),
    },
  ];
}

async function commitManySection() {
  const records = 20_000;
  const oneStore = new SqliteStore({ path: file('one.db') });
  const start = performance.now();
  for (let index = 0; index < records; index++) await oneStore.commit(commitRequestOf(index, 'one'));
  const one = (records / (performance.now() - start)) * 1000;
  await oneStore.close();

  const manyStore = new SqliteStore({ path: file('many.db') });
  const many = await fill(manyStore, records, 'many');
  await manyStore.close();
  return [
    {
      measurement: `commit, one at a time (${format.count(records)})`,
      value: format.rate(one, 'records'),
      relative: '1×',
    },
    {
      measurement: `commitMany, batches of ${format.count(BATCH)}`,
      value: format.rate(many, 'records'),
      relative: format.ratio(many / one),
    },
  ];
}

async function breakdownSection() {
  const query = { fromDay: DAYS[0], toDay: DAYS.at(-1) };
  const measure = async (usages, name) => {
    const path = file(name);
    const store = new SqliteStore({ path });
    const fillRate = await fill(store, usages, name);
    const rows = (await store.queryRollups(query)).length;
    for (let run = 0; run < 5; run++) await store.queryRollups(query);
    const times = [];
    for (let run = 0; run < 30; run++) {
      const start = performance.now();
      await store.queryRollups(query);
      times.push(performance.now() - start);
    }
    await store.close();
    return { fillRate, rows, milliseconds: median(times), megabytes: statSync(path).size / 1e6 };
  };
  const small = await measure(SMALL_USAGES, 'small.db');
  const large = await measure(LARGE_USAGES, 'large.db');
  const ratio = large.milliseconds / small.milliseconds;
  return [
    {
      measurement: `queryRollups, 30 days, ${format.count(SMALL_USAGES)} usages (${small.rows} rows)`,
      value: format.ms(small.milliseconds),
      relative: '1×',
    },
    {
      measurement: `queryRollups, 30 days, ${format.count(LARGE_USAGES)} usages (${large.rows} rows)`,
      value: format.ms(large.milliseconds),
      relative: format.ratio(ratio),
      // Reads walk the rollup rows only, so 100× the usages must not cost anywhere near 100×.
      failed: ratio > 5,
    },
    {
      measurement: `fill with commitMany (${format.count(LARGE_USAGES)} usages, ${large.megabytes.toFixed(0)} MB)`,
      value: format.rate(large.fillRate, 'records'),
      relative: '',
    },
  ];
}

// ─── Run ────────────────────────────────────────────────────────────────────────────────

const sections = [
  { title: 'gate + settle (createBudget)', run: gateAndSettleSection },
  { title: 'recording', run: commitManySection },
  { title: 'breakdown', run: breakdownSection },
];

function printTable(rows) {
  const widths = ['section', 'measurement', 'value', 'relative'].map((key) =>
    Math.max(key.length, ...rows.map((row) => String(row[key] ?? '').length)),
  );
  const line = (cells) => cells.map((cell, index) => String(cell ?? '').padEnd(widths[index])).join('  ');
  console.log(line(['section', 'measurement', 'value', 'relative']));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line([row.section, row.measurement, row.value, row.relative]));
}

console.log(
  `@tollgate/sqlite bench — node ${process.version}, ${process.platform}/${process.arch}, ${MEASURE_MS} ms a measurement\n`,
);
const rows = [];
try {
  for (const section of sections) {
    for (const [index, row] of (await section.run()).entries())
      rows.push({ section: index === 0 ? section.title : '', ...row });
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
}
printTable(rows);
if (rows.some((row) => row.failed)) {
  console.error('\nA figure is outside its bound (marked above).');
  process.exitCode = 1;
}
