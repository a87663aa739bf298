// Mistral (Tekken) token counts, measured on the BUILT package in a fresh process:
//   node bench/tekken-counts.mjs        (prints a table; `pnpm bench` prints the same rows)
// - held ÷ real over the corpus of src/estimate/__fixtures__/tekken-corpus.json (counts from mistral-common);
// - counting speed on texts never counted before (the count cache does not answer);
// - the longest a single count blocks the event loop, on 1 MB texts and on the longest texts
//   counted exactly, of every kind;
// Times are given as CPU time (user + system) and wall time: on a machine whose cores are busy
// with other work, the wall time also counts the time the process waited for a core.
// - the first Mistral count in a fresh process, which reads the vocabulary.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const DIST_URL = pathToFileURL(join(HERE, '..', 'dist', 'index.js')).href;
const FIXTURES = join(HERE, '..', 'src', 'estimate', '__fixtures__');
const MODEL = 'mistral-small-latest';
const COLD_RUNS = 5;
const SPEED_LENGTH = 200_000;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The corpus texts with mistral-common's counts, rebuilt as the test rebuilds them. */
function corpus() {
  const fixture = JSON.parse(readFileSync(join(FIXTURES, 'tekken-corpus.json'), 'utf8'));
  const calibration = JSON.parse(readFileSync(join(FIXTURES, 'token-calibration.json'), 'utf8')).samples;
  const base64 = (byteCount, seed) => {
    const bytes = Buffer.alloc(byteCount);
    let state = BigInt(seed);
    for (let index = 0; index < byteCount; index++) {
      state = (state * 1103515245n + 12345n) % 2n ** 31n;
      bytes[index] = Number(state >> 16n) & 0xff;
    }
    return bytes.toString('base64');
  };
  return {
    reference: fixture.reference,
    samples: fixture.samples.map((sample) => ({
      kind: sample.kind,
      tokens: sample.tokens,
      text:
        sample.text ??
        (sample.calibrationIndex !== undefined
          ? calibration[sample.calibrationIndex].text
          : sample.recipe.repeat !== undefined
            ? sample.recipe.repeat.repeat(sample.recipe.times)
            : base64(sample.recipe.base64Bytes, sample.recipe.seed)),
    })),
  };
}

/** The first Mistral count in a fresh process (it reads the vocabulary), and the import before it. */
function firstCount() {
  const script = `const core = await import(${JSON.stringify(DIST_URL)});
const cpu = process.cpuUsage();
const start = performance.now();
core.countTokens('Hello, world', 'mistral', ${JSON.stringify(MODEL)});
const first = performance.now() - start;
const used = process.cpuUsage(cpu);
const again = performance.now();
core.countTokens('Hello again, world', 'mistral', ${JSON.stringify(MODEL)});
console.log(JSON.stringify({ first, firstCpu: (used.user + used.system) / 1000, again: performance.now() - again }));`;
  const runs = [];
  for (let run = 0; run < COLD_RUNS; run++) {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`child process failed: ${child.stderr}`);
    runs.push(JSON.parse(child.stdout.trim()));
  }
  return {
    first: median(runs.map((run) => run.first)),
    firstCpu: median(runs.map((run) => run.firstCpu)),
    again: median(runs.map((run) => run.again)),
  };
}

/** `length` characters of `base`, made distinct by `variant` so that the count cache does not answer. */
function textOf(base, length, variant) {
  if (base === null) return randomText(length, variant);
  let text = `${variant} `;
  while (text.length < length) text += base;
  return text.slice(0, length);
}

async function measure() {
  const core = await import(DIST_URL);
  const count = (text) => core.countTokens(text, 'mistral', MODEL);
  const { reference, samples } = corpus();
  const rows = [];

  const cold = firstCount();
  rows.push({
    measurement: `first Mistral count in a fresh process, reading the vocabulary (median of ${COLD_RUNS})`,
    value: `${cold.first.toFixed(1)} ms`,
    relative: `${cold.firstCpu.toFixed(1)} ms of CPU time; goal ≤ 150 ms; the next count ${cold.again.toFixed(2)} ms`,
    failed: false,
  });

  let held = 0;
  let real = 0;
  let bytes = 0;
  let lowest = Number.POSITIVE_INFINITY;
  let highest = 0;
  let highestKind = '';
  let exactTexts = 0;
  for (const sample of samples) {
    const counted = count(sample.text);
    held += counted.upperBound;
    real += sample.tokens;
    bytes += Buffer.byteLength(sample.text, 'utf8');
    const ratio = counted.upperBound / sample.tokens;
    lowest = Math.min(lowest, ratio);
    if (ratio > highest) {
      highest = ratio;
      highestKind = sample.kind;
    }
    if (counted.upperBound === sample.tokens) exactTexts += 1;
  }
  rows.push({
    measurement: `held ÷ real over the corpus (${samples.length} texts, ${real.toLocaleString('en-US')} tokens by ${reference})`,
    value: `${(held / real).toFixed(3)}×`,
    relative: `goal ≤ 1.02; before (UTF-8 length) ${(bytes / real).toFixed(2)}×`,
    failed: held < real,
  });
  rows.push({
    measurement: 'held ÷ real, per text: lowest / highest',
    value: `${lowest.toFixed(3)}× / ${highest.toFixed(3)}×`,
    relative: `goal: lowest ≥ 1; ${exactTexts} of ${samples.length} exact; highest: ${highestKind}`,
    failed: lowest < 1,
  });

  const byKind = (prefix) =>
    samples
      .filter((sample) => sample.kind.startsWith(prefix))
      .map((sample) => sample.text)
      .join('\n');
  const kinds = [
    ['prose (English)', ['prose-en', 'legal-en'].map(byKind).join('\n')],
    ['technical documentation', byKind('technical-doc')],
    ['code', byKind('code-')],
    ['other languages', byKind('non-en-')],
    ['Japanese and Chinese', `${byKind('non-en-ja')}\n${byKind('non-en-zh')}\n${byKind('cjk-long')}`],
    ['base64', byKind('base64')],
    ['emoji', byKind('emoji')],
    ['Zalgo text', byKind('zalgo')],
    ['runs of 16,000 letters without a space', `${'ab'.repeat(8_000)} `],
    ['digits', '1234567890'.repeat(100)],
    // Made anew for every text: no word repeats, the worst case for the count's caches.
    ['random code points, never repeated', null],
  ];

  let variant = 0;
  // Wall time and CPU time of one count: on a busy machine the wall time includes the time
  // the process waited for a core; the CPU time does not.
  const timed = (text) => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const counted = count(text);
    const wall = performance.now() - start;
    const used = process.cpuUsage(cpu);
    return { counted, wall, cpu: (used.user + used.system) / 1000 };
  };
  const speedOf = (base, length) => {
    for (let warm = 0; warm < 3; warm++) count(textOf(base, length, variant++));
    const wall = [];
    const cpu = [];
    for (let run = 0; run < 7; run++) {
      const text = textOf(base, length, variant++);
      const result = timed(text);
      if (result.counted.method !== 'exact') return undefined;
      const megabytes = Buffer.byteLength(text, 'utf8') / 1e6;
      wall.push(megabytes / (result.wall / 1000));
      cpu.push(megabytes / (Math.max(result.cpu, 0.001) / 1000));
    }
    return { wall: median(wall), cpu: median(cpu) };
  };
  for (const [label, base] of kinds) {
    // A text slow to count is measured on shorter texts, which the time budget lets finish.
    let length = SPEED_LENGTH;
    let rate = speedOf(base, length);
    while (rate === undefined && length > 10_000) {
      length /= 4;
      rate = speedOf(base, length);
    }
    rows.push({
      measurement: `counting speed, ${label}, ${length.toLocaleString('en-US')}-character texts never seen before (median of 7)`,
      value: rate ? `${rate.wall.toFixed(1)} MB/s` : 'not counted in full',
      relative: rate
        ? `${rate.cpu.toFixed(1)} MB/s of CPU time${label.startsWith('prose') ? '; goal ≥ 20 MB/s' : ''}`
        : '',
      failed: false,
    });
  }

  // The longest single count of a 1 MB text, first run included (the merge caches are cold
  // then), and how much of it was held above its exact count: a count that runs out of time
  // holds the rest at its UTF-8 length.
  let worst = { wall: 0, cpu: 0, kind: '' };
  const heldShare = [];
  for (const [label, base] of kinds) {
    let exact = 0;
    for (let run = 0; run < 3; run++) {
      const text = textOf(base, 1_000_000, variant++);
      const result = timed(text);
      if (result.counted.method === 'exact') exact += 1;
      if (result.cpu > worst.cpu) worst = { wall: result.wall, cpu: result.cpu, kind: label };
    }
    heldShare.push(`${label} ${exact}/3`);
  }
  rows.push({
    measurement: `longest single count of a 1,000,000-character text (${kinds.length} kinds × 3)`,
    value: `${worst.cpu.toFixed(1)} ms of CPU time`,
    relative: `${worst.wall.toFixed(1)} ms wall time; goal ≤ 50 ms; ${worst.kind}`,
    failed: false,
  });
  rows.push({
    measurement: '1,000,000-character texts counted in full within the time budget',
    value: '',
    relative: heldShare.join(', '),
    failed: false,
  });
  return rows;
}

/** Code points from every plane, from a fixed seed, with spaces between words. */
function randomText(length, seed) {
  let state = seed + 1;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state;
  };
  let text = '';
  while (text.length < length) {
    const roll = next() % 100;
    const code =
      roll < 40
        ? 0x61 + (next() % 26)
        : roll < 50
          ? 0x20
          : roll < 70
            ? 0x400 + (next() % 0x100)
            : roll < 90
              ? 0x4e00 + (next() % 0x5000)
              : 0x1f300 + (next() % 0x300);
    text += String.fromCodePoint(code);
  }
  return text;
}

export function tekkenCountsSection() {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--json'], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`child process failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await measure();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(rows));
  } else {
    for (const row of rows) console.log(`${row.measurement}\n  ${row.value}  ${row.relative}`);
    if (rows.some((row) => row.failed)) process.exitCode = 1;
  }
}
