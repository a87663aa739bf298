// Wrapped versus bare GoogleGenAI client against the local emulator, interleaved in one run.
// Usage: pnpm bench (after pnpm build). ITERATIONS=2000 pnpm bench for a longer run.
import { GoogleGenAI } from '@google/genai';
import { createBudget } from '@tollgate/core';
import { BENCH_PROMPT, benchWrappedVersusBare, readToEnd } from '@tollgate/core/adapter';
import { startEmulator } from '@tollgate/emulator';
import { wrapGoogleGenAI } from '../dist/index.js';

const emulator = await startEmulator();
const budget = createBudget({ budgets: [{ id: 'bench', limitUsd: 1_000_000, period: 'total' }] });
const client = () => new GoogleGenAI({ apiKey: 'bench', httpOptions: { baseUrl: emulator.geminiBaseURL } });
const request = { model: 'gemini-2.5-flash', contents: BENCH_PROMPT, config: { maxOutputTokens: 64 } };

await benchWrappedVersusBare({
  title: `google adapter bench, ~1k-token prompt, emulator on ${emulator.url}`,
  bare: client(),
  wrapped: wrapGoogleGenAI(client(), budget),
  budget,
  scenarios: [
    { name: 'models.generateContent', run: (ai) => ai.models.generateContent(request) },
    {
      name: 'models.generateContentStream',
      run: async (ai) => readToEnd(await ai.models.generateContentStream(request)),
    },
    {
      name: 'models.embedContent',
      run: (ai) => ai.models.embedContent({ model: 'gemini-embedding-001', contents: BENCH_PROMPT }),
    },
  ],
});
await emulator.close();
