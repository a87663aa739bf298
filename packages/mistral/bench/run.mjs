// Wrapped versus bare Mistral client against the local emulator, interleaved in one run.
// Usage: pnpm bench (after pnpm build). ITERATIONS=2000 pnpm bench for a longer run.
import { performance } from 'node:perf_hooks';
import { Mistral } from '@mistralai/mistralai';
import { createBudget } from '@tollgate/core';
import { startEmulator } from '@tollgate/emulator';
import { wrapMistral } from '../dist/index.js';

const ITERATIONS = Number(process.env.ITERATIONS ?? 1000);
const WARMUP = 100;
// About 1,000 tokens: the emulator and Mistral's tokenizer both average about 4 characters a token on English prose.
const words = 'the budget gate reserves the worst case before each call and settles the real cost afterwards';
const prompt = Array.from({ length: Math.ceil(4000 / (words.length + 1)) }, () => words)
  .join(' ')
  .slice(0, 4000);
const request = {
  model: 'mistral-small-latest',
  messages: [{ role: 'user', content: prompt }],
  maxTokens: 64,
};

const emulator = await startEmulator();
try {
  const options = {
    serverURL: emulator.mistralServerURL,
    apiKey: 'bench',
    retryConfig: { strategy: 'none' },
  };
  const bare = new Mistral(options);
  const budget = createBudget({ budgets: [{ id: 'bench', limitUsd: 1_000_000, period: 'total' }] });
  const wrapped = wrapMistral(new Mistral(options), budget);

  const scenarios = {
    'chat.complete': async (client) => {
      await client.chat.complete(request);
    },
    'chat.stream': async (client) => {
      for await (const _ of await client.chat.stream(request)) {
        // drain
      }
    },
  };

  const rows = [];
  for (const [name, run] of Object.entries(scenarios)) {
    const timings = { bare: [], wrapped: [] };
    for (let index = 0; index < WARMUP + ITERATIONS; index++) {
      // Alternate which client goes first so drift and warm caches hit both equally.
      const order = index % 2 === 0 ? ['bare', 'wrapped'] : ['wrapped', 'bare'];
      for (const kind of order) {
        const start = performance.now();
        await run(kind === 'bare' ? bare : wrapped);
        const elapsed = performance.now() - start;
        if (index >= WARMUP) timings[kind].push(elapsed);
      }
    }
    const p50Bare = percentile(timings.bare, 0.5);
    const p50Wrapped = percentile(timings.wrapped, 0.5);
    rows.push({
      scenario: name,
      calls: ITERATIONS,
      'bare p50 (µs)': Math.round(p50Bare * 1000),
      'wrapped p50 (µs)': Math.round(p50Wrapped * 1000),
      'p50 ratio': Number((p50Wrapped / p50Bare).toFixed(3)),
      'added µs / call (p50)': Math.round((p50Wrapped - p50Bare) * 1000),
      'bare p90 (µs)': Math.round(percentile(timings.bare, 0.9) * 1000),
      'wrapped p90 (µs)': Math.round(percentile(timings.wrapped, 0.9) * 1000),
    });
  }
  console.log(
    `@tollgate/mistral bench: ${ITERATIONS} interleaved calls per client after ${WARMUP} warm-up, ~1k-token prompt, Node ${process.version}`,
  );
  console.table(rows);
  const [status] = await budget.status();
  console.log(
    `recorded ${status.used} USD over ${2 * (WARMUP + ITERATIONS)} wrapped calls; reserved now ${status.reserved} USD`,
  );
} finally {
  await emulator.close();
}

function percentile(values, fraction) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}
