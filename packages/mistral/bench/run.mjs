// Wrapped versus bare Mistral client against the local emulator, interleaved in one run.
// Usage: pnpm bench (after pnpm build). ITERATIONS=2000 pnpm bench for a longer run.
import { Mistral } from '@mistralai/mistralai';
import { createBudget } from '@tollgate/core';
import { BENCH_PROMPT, benchWrappedVersusBare, readToEnd } from '@tollgate/core/adapter';
import { startEmulator } from '@tollgate/emulator';
import { wrapMistral } from '../dist/index.js';

const emulator = await startEmulator();
const budget = createBudget({ budgets: [{ id: 'bench', limitUsd: 1_000_000, period: 'total' }] });
const client = () =>
  new Mistral({ serverURL: emulator.mistralServerURL, apiKey: 'bench', retryConfig: { strategy: 'none' } });
const request = {
  model: 'mistral-small-latest',
  messages: [{ role: 'user', content: BENCH_PROMPT }],
  maxTokens: 100,
};

await benchWrappedVersusBare({
  title: `mistral adapter bench, ~1k-token prompt, emulator on ${emulator.url}`,
  bare: client(),
  wrapped: wrapMistral(client(), budget),
  budget,
  scenarios: [
    { name: 'chat.complete', run: (mistral) => mistral.chat.complete(request) },
    {
      name: 'chat.stream',
      run: async (mistral) => readToEnd(await mistral.chat.stream(request)),
    },
  ],
});
await emulator.close();
