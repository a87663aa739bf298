// Wrapped vs bare Anthropic client against the local emulator, interleaved in one run.
// Run after `pnpm build`: `pnpm bench` (ITERATIONS=1000 by default).
import { performance } from 'node:perf_hooks';
import Anthropic from '@anthropic-ai/sdk';
import { createBudget } from '@tollgate/core';
import { startEmulator } from '@tollgate/emulator';
import { wrapAnthropic } from '../dist/index.js';

const ITERATIONS = Number(process.env.ITERATIONS ?? 1_000);
const WARMUP = 100;
const MODEL = 'claude-haiku-4-5';
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
// About 1,000 tokens of prompt: a thousand common English words.
const PROMPT = Array.from({ length: 1_000 }, (_, index) => WORDS[(index * 7) % WORDS.length]).join(' ');

const emulator = await startEmulator();
const budget = createBudget({
  budgets: [{ id: 'bench', limitUsd: 1_000_000, period: 'total', perCallCapsUsd: false }],
});
const client = () => new Anthropic({ apiKey: 'bench', baseURL: emulator.anthropicBaseURL, maxRetries: 0 });
const bare = client();
const wrapped = wrapAnthropic(client(), budget);
const counted = wrapAnthropic(client(), budget, { estimateWith: 'countTokens' });
const headers = { 'x-emulator-output-tokens': '16' };
const params = { model: MODEL, max_tokens: 16, messages: [{ role: 'user', content: PROMPT }] };

const drain = async (stream) => {
  for await (const _event of stream) {
    // read to the end
  }
};

const scenarios = [
  ['messages.create', wrapped, (anthropic) => anthropic.messages.create(params, { headers })],
  [
    'messages.create stream',
    wrapped,
    async (anthropic) => drain(await anthropic.messages.create({ ...params, stream: true }, { headers })),
  ],
  [
    'messages.stream() finalMessage',
    wrapped,
    (anthropic) => anthropic.messages.stream(params, { headers }).finalMessage(),
  ],
  [
    "messages.create, estimateWith 'countTokens'",
    counted,
    (anthropic) => anthropic.messages.create(params, { headers }),
  ],
];

async function time(fn) {
  const start = performance.now();
  await fn();
  return (performance.now() - start) * 1_000;
}

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

console.log(
  `anthropic adapter bench: ${ITERATIONS} interleaved calls per client, ~1k-token prompt, emulator on ${emulator.url}`,
);
const rows = [];
for (const [name, budgeted, call] of scenarios) {
  for (let index = 0; index < WARMUP; index++) {
    await call(bare);
    await call(budgeted);
  }
  const bareTimes = [];
  const wrappedTimes = [];
  for (let index = 0; index < ITERATIONS; index++) {
    // Alternate which client goes first, so that neither always meets a warm connection.
    if (index % 2 === 0) {
      bareTimes.push(await time(() => call(bare)));
      wrappedTimes.push(await time(() => call(budgeted)));
    } else {
      wrappedTimes.push(await time(() => call(budgeted)));
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
