// Benchmarks of @tollgate/core, measured on the BUILT package (run `pnpm build` first):
//   pnpm --filter @tollgate/core bench            (BENCH_MS=1000 for longer measurements)
//   BENCH_ONLY='gate + settle' node --cpu-prof bench/run.mjs  (the sections whose title has this text)
// Each section is one function returning table rows; add a section by writing a function
// and listing it in `sections` below. Figures are ratios against a baseline measured in the
// same run wherever a baseline makes sense, so they compare across machines.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  calculateCost,
  createBudget,
  createUsage,
  MemoryStore,
  PriceCatalog,
  priceUsage,
} from '../dist/index.js';
import { budgetWithHistory } from './history.mjs';
import { tekkenCountsSection } from './tekken-counts.mjs';

const DIST_INDEX = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js');
const DIST_URL = pathToFileURL(DIST_INDEX).href;
const MEASURE_MS = Number(process.env.BENCH_MS ?? 500);
const COLD_RUNS = 5;

// About 1,000 tokens of a realistic prompt: instructions, prose, a little code and JSON.
const PROMPT = [
  'You are a careful financial analyst. Summarise the quarterly report below for the board in three bullet points,',
  'then list the two largest risks and a recommendation. Keep the answer under 200 words.\n\n',
  'Revenue grew 12% year over year to $48.2M, driven by the enterprise tier (+31%) while self-serve revenue was flat. ',
  'Gross margin fell from 71% to 68% because inference costs rose faster than prices; the AI assistant feature now ',
  'accounts for 19% of cloud spend. Operating expenses were $39.5M, of which R&D was $17.1M. Net retention was 114%. ',
  'Churn among small customers rose to 3.1% a month after the price change in August. ',
  'The company signed two multi-year contracts with public-sector customers, each above $2M in annual value. ',
  'Cash at the end of the quarter was $122M; the board approved a buy-back of up to $10M. ',
  'Hiring slowed: headcount grew from 412 to 421. The support backlog halved after the new triage tool launched.\n\n',
  '```ts\nconst spend = usage.reduce((total, call) => total + call.costNanoUsd, 0);\nif (spend > budget.limit) alert(budget.id);\n```\n\n',
  '{"quarter":"Q3","revenueUsd":48200000,"grossMargin":0.68,"netRetention":1.14,"headcount":421}\n\n',
]
  .join('')
  .repeat(3);

/** Runs `fn` repeatedly for about MEASURE_MS after a warm-up and returns operations per second. */
function opsPerSecond(fn) {
  let sink = 0;
  const warmUntil = performance.now() + Math.min(200, MEASURE_MS / 2);
  while (performance.now() < warmUntil) sink ^= touch(fn());
  let iterations = 0;
  let batch = 1;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < MEASURE_MS) {
    for (let index = 0; index < batch; index++) sink ^= touch(fn());
    iterations += batch;
    batch = Math.min(batch * 2, 1 << 16);
    elapsed = performance.now() - start;
  }
  if (sink === 0.5) console.log('unreachable');
  return (iterations / elapsed) * 1000;
}

/** Keeps results alive so the optimiser cannot drop the work. */
function touch(value) {
  if (typeof value === 'number') return value | 0;
  if (typeof value === 'string') return value.length;
  return value ? 1 : 0;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const format = {
  ops: (value) => `${Math.round(value).toLocaleString('en-US')} ops/s`,
  ms: (value) => `${value.toFixed(1)} ms`,
  ratio: (value) => `${value >= 10 ? value.toFixed(0) : value.toPrecision(2)}×`,
};

// ─── Sections ───────────────────────────────────────────────────────────────────────────

/** (a) Estimating a ~1k-token chat call: the exact OpenAI tokenizer against the heuristic. */
function estimateSection() {
  const budget = createBudget();
  const baseline = opsPerSecond(() =>
    JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: PROMPT }] }),
  );
  const rows = [
    {
      measurement: `JSON.stringify of the request (baseline, ${PROMPT.length.toLocaleString('en-US')} chars)`,
      value: format.ops(baseline),
      relative: '1.0×',
    },
  ];
  for (const [label, provider, model] of [
    ['estimate gpt-4o, exact tokenizer', 'openai', 'gpt-4o'],
    ['estimate claude-sonnet-4-5, heuristic', 'anthropic', 'claude-sonnet-4-5'],
  ]) {
    const request = { provider, model, text: PROMPT, maxOutputTokens: 1_024 };
    const { inputTokens } = budget.estimate(request);
    const ops = opsPerSecond(() => budget.estimate(request).costNano);
    rows.push({
      measurement: `${label} (${inputTokens.toLocaleString('en-US')} input tokens)`,
      value: format.ops(ops),
      relative: `${format.ratio(ops / baseline)} baseline`,
    });
  }
  // Exact counts of long texts are cached; a prompt never seen before pays the tokenizer.
  let variant = 0;
  const fresh = opsPerSecond(
    () =>
      budget.estimate({
        provider: 'openai',
        model: 'gpt-4o',
        text: `${variant++} ${PROMPT}`,
        maxOutputTokens: 1_024,
      }).costNano,
  );
  rows.push({
    measurement: 'estimate gpt-4o, exact tokenizer, a prompt not seen before',
    value: format.ops(fresh),
    relative: `${format.ratio(fresh / baseline)} baseline`,
  });
  return rows;
}

/** (b) Price lookups on a warm cache and cost calculations. */
function catalogSection() {
  const catalog = new PriceCatalog();
  const at = new Date();
  const map = new Map([['openai\u0000gpt-4o', { price: 1 }]]);
  const lookupBaseline = opsPerSecond(() => map.get('openai\u0000gpt-4o'));
  const rows = [
    {
      measurement: 'Map.get of one key (baseline for lookups)',
      value: format.ops(lookupBaseline),
      relative: '1.0×',
    },
  ];
  for (const [label, provider, model] of [
    ['catalog.resolve gpt-4o (bundled data)', 'openai', 'gpt-4o'],
    ['catalog.resolve claude-sonnet-4-5-20250929 (dated id)', 'anthropic', 'claude-sonnet-4-5-20250929'],
    ['catalog.resolve qwen-plus (tollgate layer)', 'qwen', 'qwen-plus'],
    ['catalog.resolve o3 (price changes by date: not cached)', 'openai', 'o3'],
  ]) {
    catalog.resolve(provider, model, at);
    const ops = opsPerSecond(() => catalog.resolve(provider, model, at));
    rows.push({
      measurement: label,
      value: format.ops(ops),
      relative: `${format.ratio(ops / lookupBaseline)} baseline`,
    });
  }

  const usageInput = {
    inputTokens: 1_200,
    cacheReadTokens: 8_000,
    cacheWriteTokens: 2_000,
    cacheWrite1hTokens: 500,
    outputTokens: 350,
  };
  const usage = createUsage(usageInput);
  const resolved = catalog.resolve('anthropic', 'claude-sonnet-4-5', at);
  const costBaseline = opsPerSecond(() => JSON.stringify(usageInput));
  rows.push({
    measurement: 'JSON.stringify of the usage (baseline for costs)',
    value: format.ops(costBaseline),
    relative: '1.0×',
  });
  const calculate = opsPerSecond(() => calculateCost(usage, resolved).total);
  rows.push({
    measurement: 'calculateCost, 5 lines',
    value: format.ops(calculate),
    relative: `${format.ratio(calculate / costBaseline)} baseline`,
  });
  const request = { provider: 'anthropic', model: 'claude-sonnet-4-5', usage, at };
  const priced = opsPerSecond(() => priceUsage(catalog, request).total);
  rows.push({
    measurement: 'priceUsage (resolve + calculate)',
    value: format.ops(priced),
    relative: `${format.ratio(priced / costBaseline)} baseline`,
  });
  return rows;
}

/**
 * Runs an async `fn` repeatedly for about MEASURE_MS after a warm-up: operations per second of
 * wall time, and per second of this process's CPU time (which a busy machine disturbs less:
 * time spent waiting for a core is not counted; the garbage collector's helper threads are).
 */
async function asyncOpsPerSecond(fn) {
  const warmUntil = performance.now() + Math.max(500, MEASURE_MS);
  while (performance.now() < warmUntil) await fn();
  let iterations = 0;
  const start = performance.now();
  const cpuAtStart = process.cpuUsage();
  while (performance.now() - start < MEASURE_MS) {
    for (let index = 0; index < 256; index++) await fn();
    iterations += 256;
  }
  const cpu = process.cpuUsage(cpuAtStart);
  return {
    perSecond: (iterations / (performance.now() - start)) * 1000,
    perCpuSecond: (iterations / (cpu.user + cpu.system)) * 1e6,
  };
}

const histories = new Map();
async function cachedBudgetWithHistory(count) {
  if (!histories.has(count)) histories.set(count, await budgetWithHistory(count));
  return histories.get(count);
}

/** Gate + settle on a MemoryStore budget, against the store's own reserve + commit. */
async function gateAndSettleSection() {
  const usage = createUsage({ inputTokens: 1000, outputTokens: 200 });
  const request = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1000, maxOutputTokens: 500 };
  const gateAndSettle = (budget) => async () => {
    const admission = await budget.gate(request);
    await admission.settle({ usage });
  };
  const fresh = createBudget({ budgets: [{ id: 'app', limitUsd: 1_000_000 }] });
  const rate = await asyncOpsPerSecond(gateAndSettle(fresh));
  const leased = createBudget({ budgets: [{ id: 'app', limitUsd: 1_000_000 }], leases: true });
  const leasedRate = await asyncOpsPerSecond(gateAndSettle(leased));
  await leased.close();

  const store = new MemoryStore();
  let sequence = 0;
  const limit = {
    budgetId: 'app',
    scope: 'global',
    period: 'month:2026-11',
    capacity: 1e15,
    periodEnd: Date.UTC(2026, 11, 1),
  };
  const charge = { budgetId: 'app', scope: 'global', period: 'month:2026-11', day: '2026-11-29' };
  const baseline = await asyncOpsPerSecond(async () => {
    const id = `baseline-${sequence++}`;
    await store.reserve({ reservationId: id, amount: 1000, counters: [limit], leaseMs: 60_000, now: 0 });
    await store.commit({
      reservationId: id,
      record: { ...BASELINE_RECORD, requestId: id },
      counters: [charge],
      now: 0,
    });
  });

  return [
    {
      measurement: 'gate + settle, MemoryStore, sequential (goal ≥ 200,000/s)',
      value: format.ops(rate.perSecond),
      relative: `${format.ratio(rate.perSecond / baseline.perSecond)} store-only reserve + commit; ${format.ops(rate.perCpuSecond)} of CPU time`,
    },
    {
      measurement: 'gate + settle from a quota lease, MemoryStore, records written behind',
      value: format.ops(leasedRate.perSecond),
      relative: `${format.ratio(leasedRate.perSecond / rate.perSecond)} without a lease; ${format.ops(leasedRate.perCpuSecond)} of CPU time`,
    },
    {
      measurement: 'store-only reserve + commit (baseline)',
      value: format.ops(baseline.perSecond),
      relative: `${format.ops(baseline.perCpuSecond)} of CPU time`,
    },
  ];
}

/** How a gate's cost grows with the records a store holds. */
function gateWithHistorySection() {
  const small = gateWithHistory(1_000);
  const large = gateWithHistory(1_000_000);
  return [
    {
      measurement: 'gate (+ release) with 1,000 recorded usages',
      value: format.ops(small.opsPerSecond),
      relative: `${format.ops(small.opsPerCpuSecond)} of CPU time`,
    },
    {
      measurement: 'gate (+ release) with 1,000,000 recorded usages',
      value: format.ops(large.opsPerSecond),
      relative: `${format.ops(large.opsPerCpuSecond)} of CPU time; time ratio ${format.ratio(small.opsPerSecond / large.opsPerSecond)}, CPU-time ratio ${format.ratio(small.opsPerCpuSecond / large.opsPerCpuSecond)} (goal ≤ 1.5)`,
    },
  ];
}

/**
 * Gates per second (each released: settling would add records to the history being measured)
 * on a store holding `count` records, in a fresh process: each size is measured the same way
 * (fill, collect the garbage the filling left, warm up, median of three), and neither pays for
 * the other's records or for what the rest of the bench left in the heap.
 */
function gateWithHistory(count) {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'gate-with-history.mjs');
  const child = spawnSync(process.execPath, ['--expose-gc', script, String(count), String(MEASURE_MS)], {
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`child process failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1));
}

const BASELINE_RECORD = {
  timestamp: 0,
  day: '2026-11-29',
  provider: 'openai',
  model: 'gpt-4o-mini',
  service: 'llm',
  requestType: 'default',
  tags: [],
  cost: 270_000,
  reserved: 1000,
  overrun: 0,
  estimated: false,
  priceSource: 'genai-prices',
  inputTokens: 1000,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 200,
  reasoningTokens: 0,
  audioMilliseconds: 0,
  characters: 0,
  images: 0,
  pages: 0,
};

/** A 30-day breakdown by provider and day over 10,000 and 1,000,000 recorded usages: it reads rollups, not records. */
async function breakdownSection() {
  const timeOf = async (count) => {
    const budget = await cachedBudgetWithHistory(count);
    const times = [];
    for (let run = 0; run < 7; run++) {
      const start = performance.now();
      await budget.breakdown({ by: ['provider', 'day'], days: 30 });
      times.push(performance.now() - start);
    }
    return median(times);
  };
  const small = await timeOf(10_000);
  const large = await timeOf(1_000_000);
  return [
    { measurement: 'breakdown over 10,000 usages', value: format.ms(small), relative: '' },
    {
      measurement: 'breakdown over 1,000,000 usages',
      value: format.ms(large),
      relative: `time ratio ${format.ratio(large / small)} (goal ≤ 2)`,
    },
  ];
}

/** (c) Cold import of the package in a fresh process, against a process that imports nothing. */
function importSection() {
  const baselineScript =
    'const start = performance.now(); console.log(JSON.stringify({ importMs: performance.now() - start }));';
  const importScript = `const start = performance.now(); await import(${JSON.stringify(DIST_URL)}); console.log(JSON.stringify({ importMs: performance.now() - start }));`;
  const run = (script) => {
    const start = performance.now();
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const wallMs = performance.now() - start;
    if (child.status !== 0) throw new Error(`child process failed: ${child.stderr}`);
    return { wallMs, importMs: JSON.parse(child.stdout.trim()).importMs };
  };
  run(baselineScript);
  run(importScript);
  const baseline = [];
  const imported = [];
  // Interleaved, so that drift in the machine's load hits both alike.
  for (let index = 0; index < COLD_RUNS; index++) {
    baseline.push(run(baselineScript));
    imported.push(run(importScript));
  }
  const baselineWall = median(baseline.map((sample) => sample.wallMs));
  const importWall = median(imported.map((sample) => sample.wallMs));
  const importOnly = median(imported.map((sample) => sample.importMs));
  return [
    {
      measurement: `node process importing nothing (baseline, median of ${COLD_RUNS})`,
      value: format.ms(baselineWall),
      relative: '1.0×',
    },
    {
      measurement: `node process importing @tollgate/core (median of ${COLD_RUNS})`,
      value: format.ms(importWall),
      relative: `${format.ratio(importWall / baselineWall)} baseline (goal ≤ 1.3)`,
    },
    {
      measurement: 'of which import() itself, measured inside the process',
      value: format.ms(importOnly),
      relative: '',
    },
    checkLoadedOnFirstUse(),
  ];
}

/** Dependencies that must not load at import, each with what loads it. */
const LOADED_ON_FIRST_USE = [
  { name: 'gpt-tokenizer', pattern: /[\\/]gpt-tokenizer[\\/]/ },
  { name: 'the price data', pattern: /[\\/]genai-prices[\\/]/ },
  { name: 'date-fns', pattern: /[\\/]date-fns[\\/]/ },
  { name: 'fastest-levenshtein', pattern: /[\\/]fastest-levenshtein[\\/]/ },
];

/**
 * The check line: a fresh process imports the package with a module hook that reports every
 * module the ESM loader resolves; CommonJS loads are read from the require cache. Then an
 * OpenAI count, an estimate priced from the bundled data, a period and a misspelled option must load each
 * dependency, which shows that the check can see it.
 */
function checkLoadedOnFirstUse() {
  const hook = `import { writeSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  writeSync(2, 'resolved ' + result.url + '\\n');
  return result;
}`;
  const script = `import { createRequire, register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});
const require = createRequire(import.meta.url);
const core = await import(${JSON.stringify(DIST_URL)});
const atImport = Object.keys(require.cache);
core.countTokens('hello world', 'openai', 'gpt-4o');
core.createBudget().estimate({ provider: 'openai', model: 'gpt-4o', inputTokens: 1 });
core.periodWindow('month', 'UTC', new Date());
try { core.createBudget({ budgets: [{ id: 'a', limitUSD: 1 }] }); } catch {}
console.log(JSON.stringify({ atImport, afterUse: Object.keys(require.cache) }));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`child process failed: ${child.stderr}`);
  const resolved = child.stderr.split('\n').filter((line) => line.startsWith('resolved '));
  const { atImport, afterUse } = JSON.parse(child.stdout.trim().split('\n').at(-1));
  const wrong = [];
  for (const { name, pattern } of LOADED_ON_FIRST_USE) {
    const matches = (path) => pattern.test(path);
    if (resolved.some(matches) || atImport.some(matches)) wrong.push(`${name} loaded at import`);
    if (!afterUse.some(matches)) wrong.push(`${name} not loaded on use`);
  }
  const ok = wrong.length === 0 && resolved.length > 0;
  return {
    measurement: `check: ${LOADED_ON_FIRST_USE.map(({ name }) => name).join(', ')} NOT loaded at import`,
    value: ok ? 'OK' : 'FAILED',
    relative: `${resolved.length} ESM modules at import; ${wrong.length === 0 ? 'each loaded on first use' : wrong.join('; ')}`,
    failed: !ok,
  };
}

// ─── Run ────────────────────────────────────────────────────────────────────────────────

const sections = [
  { title: 'estimate (~1k-token prompt)', run: estimateSection },
  { title: 'Mistral (Tekken) counts', run: tekkenCountsSection },
  { title: 'catalog and cost', run: catalogSection },
  { title: 'gate + settle', run: gateAndSettleSection },
  { title: 'gate with history', run: gateWithHistorySection },
  { title: 'breakdown', run: breakdownSection },
  { title: 'cold import', run: importSection },
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
  `@tollgate/core bench — node ${process.version}, ${process.platform}/${process.arch}, ${MEASURE_MS} ms a measurement\n`,
);
const rows = [];
const only = process.env.BENCH_ONLY;
for (const section of sections.filter(({ title }) => only === undefined || title.includes(only))) {
  for (const [index, row] of (await section.run()).entries())
    rows.push({ section: index === 0 ? section.title : '', ...row });
}
printTable(rows);
if (rows.some((row) => row.failed)) process.exitCode = 1;
