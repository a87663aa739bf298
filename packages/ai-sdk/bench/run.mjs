// Middleware-wrapped versus bare AI SDK model against the local emulator, interleaved in one run.
// Usage: pnpm bench (after pnpm build). ITERATIONS=2000 pnpm bench for a longer run.
import { createOpenAI } from '@ai-sdk/openai';
import { createBudget } from '@tollgate/core';
import { BENCH_PROMPT, benchWrappedVersusBare } from '@tollgate/core/adapter';
import { startEmulator } from '@tollgate/emulator';
import { embed, generateText, streamText, wrapEmbeddingModel, wrapLanguageModel } from 'ai';
import { tollgateEmbeddingMiddleware, tollgateMiddleware } from '../dist/index.js';

const emulator = await startEmulator();
const budget = createBudget({ budgets: [{ id: 'bench', limitUsd: 1_000_000, period: 'total' }] });
const openai = createOpenAI({ apiKey: 'bench', baseURL: emulator.openaiBaseURL });
const bare = { chat: openai.chat('gpt-4o-mini'), embedding: openai.embedding('text-embedding-3-small') };
const wrapped = {
  chat: wrapLanguageModel({ model: bare.chat, middleware: tollgateMiddleware(budget) }),
  embedding: wrapEmbeddingModel({ model: bare.embedding, middleware: tollgateEmbeddingMiddleware(budget) }),
};
const call = { prompt: BENCH_PROMPT, maxOutputTokens: 64, maxRetries: 0 };

await benchWrappedVersusBare({
  title: `ai-sdk middleware bench, ~1k-token prompt, emulator on ${emulator.url}`,
  bare,
  wrapped,
  budget,
  scenarios: [
    { name: 'generateText', run: (models) => generateText({ model: models.chat, ...call }) },
    { name: 'streamText', run: (models) => streamText({ model: models.chat, ...call }).consumeStream() },
    {
      name: 'embed',
      run: (models) => embed({ model: models.embedding, value: BENCH_PROMPT, maxRetries: 0 }),
    },
  ],
});
await emulator.close();
