import { createBudget, ValidationError } from '@tollgate/core';
import { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { fetchToEmulator } from './testing/fetch-to-emulator';
import { API_KEY, type Harness, startHarness } from './testing/openai-test-harness';
import { wrapOpenAI } from './wrap-openai';
import type { WrapOpenAIOptions } from './wrap-openai-options';

/**
 * The real `AzureOpenAI` client, its requests sent to the emulator. It puts the deployment in
 * the path (`/openai/deployments/<name>/chat/completions`): the client's `deployment`, else the
 * request's `model`. Prices: Azure OpenAI's global deployments (azure.microsoft.com/pricing/
 * details/cognitive-services/openai-service, as the bundled @pydantic/genai-prices 0.1.8 data has
 * them, OpenAI's list prices for these models), USD per million tokens, 1,000 in and 100 out.
 */
const endpoint = 'https://my-resource.openai.azure.com';
const headers = { 'x-emulator-input-tokens': '1000', 'x-emulator-output-tokens': '100' };
const messages = [{ role: 'user' as const, content: 'hi' }];
const cost = (input: number, output: number) => Math.round(1_000 * input * 1_000 + 100 * output * 1_000);

let harness: Harness;
const paths: string[] = [];
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.store.committed.length = 0;
  paths.length = 0;
});

function azure(clientOptions: { deployment?: string } = {}): AzureOpenAI {
  return new AzureOpenAI({
    endpoint,
    apiKey: API_KEY,
    apiVersion: '2024-10-21',
    maxRetries: 0,
    fetch: fetchToEmulator(harness.emulator, `${endpoint}/openai`, (url) => paths.push(url.pathname)),
    ...clientOptions,
  });
}

test("the client's deployment is priced as the model `deployments` maps it to, under 'azure'", async () => {
  const client = wrapOpenAI(azure({ deployment: 'my-gpt4o' }), harness.budget, {
    deployments: { 'my-gpt4o': 'gpt-4o' },
  });
  await client.chat.completions.create({ model: 'my-gpt4o', messages, max_tokens: 200 }, { headers });
  expect(paths).toEqual(['/openai/deployments/my-gpt4o/chat/completions']);
  const [record] = await harness.recorded(1);
  // gpt-4o: $2.50 / $10.
  expect(record).toMatchObject({ provider: 'azure', model: 'gpt-4o', cost: cost(2.5, 10), estimated: false });
  expect(record!.priceSource).not.toMatch(/fallback/);
});

test("without a client deployment, the request's model names the deployment, sent unchanged", async () => {
  const client = wrapOpenAI(azure(), harness.budget, {
    deployments: { 'prod-mini': 'gpt-4o-mini', 'prod-41': 'gpt-4.1' },
  });
  await client.chat.completions.create({ model: 'prod-mini', messages }, { headers });
  await client.chat.completions.create({ model: 'prod-41', messages }, { headers });
  expect(paths).toEqual([
    '/openai/deployments/prod-mini/chat/completions',
    '/openai/deployments/prod-41/chat/completions',
  ]);
  const records = await harness.recorded(2);
  // gpt-4o-mini: $0.15 / $0.60; gpt-4.1: $2 / $8.
  expect(records.map((record) => [record.provider, record.model, record.cost])).toEqual([
    ['azure', 'gpt-4o-mini', cost(0.15, 0.6)],
    ['azure', 'gpt-4.1', cost(2, 8)],
  ]);
});

test('a deployment named after its model needs no entry', async () => {
  const client = wrapOpenAI(azure({ deployment: 'gpt-4o-mini' }), harness.budget);
  await client.chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers });
  const [record] = await harness.recorded(1);
  expect(record).toMatchObject({ provider: 'azure', model: 'gpt-4o-mini', cost: cost(0.15, 0.6) });
});

test('an embedding deployment is priced as its model too', async () => {
  const client = wrapOpenAI(azure({ deployment: 'vectors' }), harness.budget, {
    deployments: { vectors: 'text-embedding-3-small' },
  });
  await client.embeddings.create({ model: 'vectors', input: 'hello' }, { headers });
  const [record] = await harness.recorded(1);
  // text-embedding-3-small: $0.02 per MTok.
  expect(record).toMatchObject({ provider: 'azure', model: 'text-embedding-3-small', cost: 1_000 * 20 });
});

test('the clamp sets max_completion_tokens on Azure, as on OpenAI', async () => {
  // $0.001 does not cover gpt-4o's 16,384 output tokens at $10 per MTok: the output limit is shrunk.
  const tight = createBudget({
    budgets: [{ id: 'tight', limitUsd: 0.001, period: 'month', perCallCapsUsd: false }],
  });
  const client = wrapOpenAI(azure({ deployment: 'my-gpt4o' }), tight, {
    deployments: { 'my-gpt4o': 'gpt-4o' },
    onInsufficientBudget: 'clamp',
  });
  await client.chat.completions.create({ model: 'my-gpt4o', messages }, { headers });
  const body = harness.emulator.requests.at(-1)?.body as Record<string, unknown> | undefined;
  expect(body?.max_completion_tokens).toBeGreaterThan(0);
  expect(body?.max_completion_tokens).toBeLessThan(100);
  expect(body?.max_tokens).toBeUndefined();
});

test.each<[string, WrapOpenAIOptions, RegExp]>([
  ['deployments that are not an object', { deployments: ['gpt-4o'] as never }, /must be an object/],
  ['a deployment mapped to no model id', { deployments: { 'my-gpt4o': 42 as never } }, /my-gpt4o/],
  ['a misspelt option', { deployment: { 'my-gpt4o': 'gpt-4o' } } as never, /did you mean 'deployments'/],
])('%s is a ValidationError when the client is wrapped', (_, options, message) => {
  expect(() => wrapOpenAI(azure(), harness.budget, options)).toThrow(ValidationError);
  expect(() => wrapOpenAI(azure(), harness.budget, options)).toThrow(message);
});

test('deployments on a client that is not Azure OpenAI is a ValidationError that names its provider', () => {
  const groq = harness.bareClient({ baseURL: 'https://api.groq.com/openai/v1' });
  expect(() => wrapOpenAI(groq, harness.budget, { deployments: { a: 'gpt-4o' } })).toThrow(
    /this client's provider is 'groq'/,
  );
});
