// Wrapped vs bare openai client against the local emulator, interleaved in one run; then the same
// with a canned response from the client's own `fetch` (no network, no server): what the wrapper
// itself costs, which a busy machine disturbs less. Run after `pnpm build`: `pnpm bench`
// (ITERATIONS=2000 by default).
import { createBudget } from '@tollgate/core';
import {
  BENCH_PROMPT,
  benchWrappedVersusBare,
  budgetedPromiseClass,
  gatedApiMethod,
  proxyClient,
  readToEnd,
  resolveAdapterOptions,
} from '@tollgate/core/adapter';
import { startEmulator } from '@tollgate/emulator';
import OpenAI, { APIPromise } from 'openai';
import { wrapOpenAI } from '../dist/index.js';

const emulator = await startEmulator();
const budget = createBudget({ budgets: [{ id: 'bench', limitUsd: 1_000_000, period: 'total' }] });
const client = () => new OpenAI({ apiKey: 'bench', baseURL: emulator.openaiBaseURL, maxRetries: 0 });
const headers = { 'x-emulator-output-tokens': '100' };
const request = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: BENCH_PROMPT }],
  max_tokens: 100,
};

const scenarios = [
  {
    name: 'chat.completions.create',
    run: (openai) => openai.chat.completions.create(request, { headers }),
  },
  {
    name: 'chat.completions.create stream',
    run: async (openai) =>
      readToEnd(await openai.chat.completions.create({ ...request, stream: true }, { headers })),
  },
];
await benchWrappedVersusBare({
  title: `openai adapter bench, ~1k-token prompt, emulator on ${emulator.url}`,
  bare: client(),
  wrapped: wrapOpenAI(client(), budget),
  budget,
  iterations: Number(process.env.ITERATIONS ?? 2_000),
  scenarios,
});
// The kit's plumbing alone (proxy, budgeted promise, gated call) with a planner that gates
// nothing: what is left of the added time is planning, estimating, pricing and recording.
const plumbingOnly = (openai) =>
  proxyClient(openai, {
    resources: {
      chat: {
        resources: {
          completions: {
            methods: {
              create: gatedApiMethod(
                {
                  budget,
                  options: resolveAdapterOptions({}, { provider: 'openai', label: 'bench' }, budget),
                },
                () => undefined,
                { BudgetedPromise: budgetedPromiseClass(APIPromise), client: openai },
              ),
            },
          },
        },
      },
    },
  });
await benchWrappedVersusBare({
  title: "the same through the adapter kit's plumbing alone (nothing gated, nothing recorded)",
  bare: client(),
  wrapped: plumbingOnly(client()),
  iterations: Number(process.env.ITERATIONS ?? 2_000),
  scenarios: [scenarios[0]],
});
await benchWrappedVersusBare({
  title: "the same, wrapped with settle: 'background' (each call recorded behind its response)",
  bare: client(),
  wrapped: wrapOpenAI(client(), budget, { settle: 'background' }),
  budget,
  iterations: Number(process.env.ITERATIONS ?? 2_000),
  scenarios,
});

// The emulator's answer to this request, served by the clients' own fetch from memory.
// Each answer has an id of its own, as real ones do (a repeated id would be recorded once).
const canned = await (
  await fetch(`${emulator.openaiBaseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(request),
  })
).json();
let answers = 0;
const cannedAnswer = () => JSON.stringify({ ...canned, id: `chatcmpl-canned-${answers++}` });
await emulator.close();
const cannedClient = () =>
  new OpenAI({
    apiKey: 'bench',
    baseURL: 'http://127.0.0.1:9/v1',
    maxRetries: 0,
    fetch: async () =>
      new Response(cannedAnswer(), { status: 200, headers: { 'content-type': 'application/json' } }),
  });
await benchWrappedVersusBare({
  title: 'openai adapter bench, the same call answered from memory by the client fetch (the wrapper alone)',
  bare: cannedClient(),
  wrapped: wrapOpenAI(cannedClient(), budget),
  iterations: Number(process.env.ITERATIONS ?? 2_000),
  scenarios: [{ name: 'chat.completions.create', run: (openai) => openai.chat.completions.create(request) }],
});
