// Wrapped vs bare openai client against the local emulator, interleaved in one run.
// Run after `pnpm build`: `pnpm bench` (ITERATIONS=2000 by default).
import { performance } from 'node:perf_hooks';
import { createBudget } from '@tollgate/core';
import { startEmulator } from '@tollgate/emulator';
import OpenAI from 'openai';
import { wrapOpenAI } from '../dist/index.js';

const ITERATIONS = Number(process.env.ITERATIONS ?? 2_000);
const WARMUP = 200;
const WORDS = [
  'budget',
  'ledger',
  'invoice',
  'forecast',
  'quarter',
  'revenue',
  'margin',
  'supplier',
  'contract',
  'audit',
];
// About 1,000 tokens of prompt (each word and its space is one o200k token).
const PROMPT = Array.from({ length: 1_000 }, (_, index) => WORDS[(index * 7) % WORDS.length]).join(' ');

const emulator = await startEmulator();
const budget = createBudget({ budgets: [{ id: 'bench', limitUsd: 1_000_000, period: 'total' }] });
const bare = new OpenAI({ apiKey: 'bench', baseURL: emulator.openaiBaseURL, maxRetries: 0 });
const wrapped = wrapOpenAI(
  new OpenAI({ apiKey: 'bench', baseURL: emulator.openaiBaseURL, maxRetries: 0 }),
  budget,
);
const headers = { 'x-emulator-output-tokens': '16' };
const messages = [{ role: 'user', content: PROMPT }];

const scenarios = {
  'chat.completions.create': (client) =>
    client.chat.completions.create({ model: 'gpt-4o-mini', messages, max_tokens: 16 }, { headers }),
  'chat.completions.create stream': async (client) => {
    const stream = await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages, max_tokens: 16, stream: true },
      { headers },
    );
    for await (const _ of stream) {
      // read to the end
    }
  },
};

async function time(fn) {
  const start = performance.now();
  await fn();
  return (performance.now() - start) * 1_000;
}

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

console.log(
  `openai adapter bench: ${ITERATIONS} interleaved calls per client, ~1k-token prompt, emulator on ${emulator.url}`,
);
const rows = [];
for (const [name, call] of Object.entries(scenarios)) {
  for (let index = 0; index < WARMUP; index++) {
    await call(bare);
    await call(wrapped);
  }
  const bareTimes = [];
  const wrappedTimes = [];
  for (let index = 0; index < ITERATIONS; index++) {
    // Alternate which client goes first, so neither always meets a warm connection.
    if (index % 2 === 0) {
      bareTimes.push(await time(() => call(bare)));
      wrappedTimes.push(await time(() => call(wrapped)));
    } else {
      wrappedTimes.push(await time(() => call(wrapped)));
      bareTimes.push(await time(() => call(bare)));
    }
  }
  bareTimes.sort((a, b) => a - b);
  wrappedTimes.sort((a, b) => a - b);
  const bareP50 = percentile(bareTimes, 0.5);
  const wrappedP50 = percentile(wrappedTimes, 0.5);
  rows.push({
    scenario: name,
    'bare p50 µs': Math.round(bareP50),
    'wrapped p50 µs': Math.round(wrappedP50),
    'p50 ratio': Number((wrappedP50 / bareP50).toFixed(3)),
    'added µs/call (p50)': Math.round(wrappedP50 - bareP50),
    'bare p99 µs': Math.round(percentile(bareTimes, 0.99)),
    'wrapped p99 µs': Math.round(percentile(wrappedTimes, 0.99)),
  });
}
console.table(rows);
const [status] = await budget.status();
console.log(`recorded ${status.used.toFixed(6)} USD, reserved ${status.reserved} USD after the run`);
await emulator.close();
