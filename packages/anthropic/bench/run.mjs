// Wrapped vs bare Anthropic client against the local emulator, interleaved in one run.
// Run after `pnpm build`: `pnpm bench` (ITERATIONS=1000 by default).
import Anthropic from '@anthropic-ai/sdk';
import { createBudget } from '@tollgate/core';
import { BENCH_PROMPT, benchWrappedVersusBare, readToEnd } from '@tollgate/core/adapter';
import { startEmulator } from '@tollgate/emulator';
import { wrapAnthropic } from '../dist/index.js';

const emulator = await startEmulator();
const budget = createBudget({
  budgets: [{ id: 'bench', limitUsd: 1_000_000, period: 'total', perCallCapsUsd: false }],
});
const client = () => new Anthropic({ apiKey: 'bench', baseURL: emulator.anthropicBaseURL, maxRetries: 0 });
const headers = { 'x-emulator-output-tokens': '100' };
const params = {
  model: 'claude-haiku-4-5',
  max_tokens: 100,
  messages: [{ role: 'user', content: BENCH_PROMPT }],
};

await benchWrappedVersusBare({
  title: `anthropic adapter bench, ~1k-token prompt, emulator on ${emulator.url}`,
  bare: client(),
  wrapped: wrapAnthropic(client(), budget),
  budget,
  scenarios: [
    { name: 'messages.create', run: (anthropic) => anthropic.messages.create(params, { headers }) },
    {
      name: 'messages.create stream',
      run: async (anthropic) =>
        readToEnd(await anthropic.messages.create({ ...params, stream: true }, { headers })),
    },
    {
      name: 'messages.stream() finalMessage',
      run: (anthropic) => anthropic.messages.stream(params, { headers }).finalMessage(),
    },
    {
      name: "messages.create, estimateWith 'countTokens'",
      wrapped: wrapAnthropic(client(), budget, { estimateWith: 'countTokens' }),
      run: (anthropic) => anthropic.messages.create(params, { headers }),
    },
  ],
});
await emulator.close();
