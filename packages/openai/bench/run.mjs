// Wrapped vs bare openai client against the local emulator, interleaved in one run.
// Run after `pnpm build`: `pnpm bench` (ITERATIONS=2000 by default).
import { createBudget } from '@tollgate/core';
import { BENCH_PROMPT, benchWrappedVersusBare, readToEnd } from '@tollgate/core/adapter';
import { startEmulator } from '@tollgate/emulator';
import OpenAI from 'openai';
import { wrapOpenAI } from '../dist/index.js';

const emulator = await startEmulator();
const budget = createBudget({ budgets: [{ id: 'bench', limitUsd: 1_000_000, period: 'total' }] });
const client = () => new OpenAI({ apiKey: 'bench', baseURL: emulator.openaiBaseURL, maxRetries: 0 });
const headers = { 'x-emulator-output-tokens': '16' };
const request = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: BENCH_PROMPT }], max_tokens: 16 };

await benchWrappedVersusBare({
  title: `openai adapter bench, ~1k-token prompt, emulator on ${emulator.url}`,
  bare: client(),
  wrapped: wrapOpenAI(client(), budget),
  budget,
  iterations: Number(process.env.ITERATIONS ?? 2_000),
  scenarios: [
    {
      name: 'chat.completions.create',
      run: (openai) => openai.chat.completions.create(request, { headers }),
    },
    {
      name: 'chat.completions.create stream',
      run: async (openai) =>
        readToEnd(await openai.chat.completions.create({ ...request, stream: true }, { headers })),
    },
  ],
});
await emulator.close();
