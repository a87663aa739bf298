import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { fetchToEmulator } from './testing/fetch-to-emulator';
import { type Harness, startHarness } from './testing/openai-test-harness';

/**
 * The real `openai` client at each OpenAI-compatible host's base URL, its requests sent to the
 * emulator (`fetchToEmulator`), with 1,000 input and 100 output tokens a call. Prices are the
 * hosts' published list prices as the bundled `@pydantic/genai-prices` 0.1.8 data has them
 * (2026-09-23), in USD per million tokens: a token costs price × 1,000 nano-USD.
 */
interface Host {
  baseURL: string;
  provider: string;
  /** The page the prices are published on. */
  source: string;
  models: [model: string, input: number, output: number, perRequest?: number][];
}

const HOSTS: Host[] = [
  {
    baseURL: 'https://api.groq.com/openai/v1',
    provider: 'groq',
    source: 'groq.com/pricing, console.groq.com/docs/models',
    models: [
      ['llama-3.3-70b-versatile', 0.59, 0.79],
      ['llama-3.1-8b-instant', 0.05, 0.08],
      ['openai/gpt-oss-120b', 0.15, 0.6],
    ],
  },
  {
    baseURL: 'https://api.together.xyz/v1',
    provider: 'together',
    source: 'together.ai/pricing',
    models: [
      ['meta-llama/Llama-3.3-70B-Instruct-Turbo', 0.88, 0.88],
      ['meta-llama/Llama-4-Scout-17B-16E-Instruct', 0.18, 0.59],
      ['meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8', 0.27, 0.85],
    ],
  },
  {
    baseURL: 'https://openrouter.ai/api/v1',
    provider: 'openrouter',
    source: 'openrouter.ai/models',
    models: [
      ['meta-llama/llama-3.3-70b-instruct', 0.05, 0.24],
      ['openai/gpt-4o-mini', 0.15, 0.6],
      ['anthropic/claude-sonnet-4.5', 3, 15],
    ],
  },
  {
    baseURL: 'https://api.x.ai/v1',
    provider: 'x-ai',
    source: 'docs.x.ai/docs/models',
    models: [
      ['grok-4-latest', 3, 15],
      ['grok-3-mini', 0.3, 0.5],
      ['grok-code-fast-1', 0.2, 1.5],
    ],
  },
  {
    baseURL: 'https://api.fireworks.ai/inference/v1',
    provider: 'fireworks',
    source: 'fireworks.ai/pricing',
    models: [
      ['accounts/fireworks/models/deepseek-v3p2', 0.56, 1.68],
      ['accounts/fireworks/models/gpt-oss-120b', 0.15, 0.6],
      ['accounts/fireworks/models/kimi-k2p5', 0.6, 3],
    ],
  },
  {
    baseURL: 'https://api.perplexity.ai',
    provider: 'perplexity',
    // Plus a fee per request (the highest of its search-context sizes).
    source: 'docs.perplexity.ai/docs/getting-started/pricing',
    models: [
      ['sonar', 1, 1, 0.012],
      ['sonar-pro', 3, 15, 0.014],
      ['sonar-reasoning-pro', 2, 8, 0.014],
    ],
  },
  {
    baseURL: 'https://api.mistral.ai/v1',
    provider: 'mistral',
    source: 'mistral.ai/pricing (the -latest aliases as of 2026-12-06)',
    models: [
      ['mistral-small-latest', 0.15, 0.6],
      ['mistral-large-latest', 0.5, 1.5],
      ['codestral-latest', 0.3, 0.9],
    ],
  },
  {
    baseURL: 'https://generativelanguage.googleapis.com/v1beta/openai/',
    provider: 'google',
    source: 'ai.google.dev/gemini-api/docs/pricing',
    models: [
      ['gemini-2.5-flash', 0.3, 2.5],
      ['gemini-2.0-flash', 0.1, 0.4],
      ['gemini-2.5-flash-lite', 0.1, 0.4],
    ],
  },
];

const headers = { 'x-emulator-input-tokens': '1000', 'x-emulator-output-tokens': '100' };
const messages = [{ role: 'user' as const, content: 'hi' }];
/** USD per million tokens × tokens, in nano-USD; USD a request in nano-USD. */
const cost = (input: number, output: number, perRequest = 0) =>
  Math.round(1_000 * input * 1_000 + 100 * output * 1_000 + perRequest * 1e9);

let harness: Harness;
const warnings: string[] = [];
beforeAll(async () => {
  harness = await startHarness(undefined, { onWarning: (warning) => warnings.push(warning.code) });
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.store.committed.length = 0;
  warnings.length = 0;
});

describe.each(HOSTS.map((host) => [host.provider, host] as const))('%s', (_, host) => {
  test.each(host.models)(
    `%s is recorded under '${host.provider}' at its published price (${host.source})`,
    async (model, input, output, perRequest) => {
      const client = harness.client(
        {},
        { baseURL: host.baseURL, fetch: fetchToEmulator(harness.emulator, host.baseURL) },
      );
      const completion = await client.chat.completions.create(
        { model, messages, max_tokens: 200 },
        { headers },
      );
      const [record] = await harness.recorded(1);
      expect(record).toMatchObject({
        provider: host.provider,
        model,
        requestId: completion.id,
        inputTokens: 1_000,
        outputTokens: 100,
        estimated: false,
        cost: cost(input, output, perRequest),
      });
      expect(record!.priceSource).not.toMatch(/fallback/);
      expect(warnings).toEqual([]);
    },
  );
});

test('a stream through Groq is settled at Groq prices from its final usage chunk', async () => {
  const baseURL = 'https://api.groq.com/openai/v1';
  const client = harness.client({}, { baseURL, fetch: fetchToEmulator(harness.emulator, baseURL) });
  const stream = await client.chat.completions.create(
    { model: 'llama-3.3-70b-versatile', messages, stream: true },
    { headers },
  );
  for await (const _ of stream);
  const [record] = await harness.recorded(1);
  expect(record).toMatchObject({ provider: 'groq', estimated: false, cost: cost(0.59, 0.79) });
});

test('an unknown host is its own provider, charged at a fallback price and warned about, never $0', async () => {
  const baseURL = 'https://llm.example.com/v1';
  const client = harness.client({}, { baseURL, fetch: fetchToEmulator(harness.emulator, baseURL) });
  await client.chat.completions.create(
    { model: 'llama-3.3-70b-versatile', messages, max_tokens: 200 },
    { headers },
  );
  const [record] = await harness.recorded(1);
  expect(record).toMatchObject({ provider: 'llm.example.com', priceSource: 'service-fallback' });
  expect(record!.cost).toBeGreaterThan(cost(0.59, 0.79));
  expect(warnings).toEqual(expect.arrayContaining(['TOLLGATE_UNKNOWN_PROVIDER', 'TOLLGATE_UNPRICED_MODEL']));
});

test("an explicit provider wins over the base URL's", async () => {
  const baseURL = 'https://api.groq.com/openai/v1';
  const client = harness.client(
    { provider: 'together' },
    { baseURL, fetch: fetchToEmulator(harness.emulator, baseURL) },
  );
  await client.chat.completions.create(
    { model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', messages },
    { headers },
  );
  const [record] = await harness.recorded(1);
  expect(record).toMatchObject({ provider: 'together', cost: cost(0.88, 0.88) });
});

test('a client on the local emulator (a loopback host) stays openai', async () => {
  await harness.client().chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers });
  const [record] = await harness.recorded(1);
  // gpt-4o-mini: $0.15 / $0.60 per MTok (openai.com/api/pricing).
  expect(record).toMatchObject({ provider: 'openai', cost: cost(0.15, 0.6) });
});
