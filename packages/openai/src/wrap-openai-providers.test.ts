import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { type Harness, startHarness } from './testing/openai-test-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.store.committed.length = 0;
});

const headers = { 'x-emulator-input-tokens': '1000', 'x-emulator-output-tokens': '100' };
const messages = [{ role: 'user' as const, content: 'hi' }];

/** A fetch that sends every request to the emulator, whatever the host: a client "at" DashScope or Ollama, offline. */
function fetchToEmulator(): typeof fetch {
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    return fetch(
      `${harness.emulator.url}${url.pathname.replace(/^\/compatible-mode/, '')}${url.search}`,
      init,
    );
  };
}

test("provider 'qwen' prices the call with Qwen's prices", async () => {
  const completion = await harness
    .client({ provider: 'qwen' })
    .chat.completions.create({ model: 'qwen-plus', messages }, { headers });
  const [record] = await harness.recorded(1);
  // qwen-plus: $0.40 / $1.20 per MTok.
  expect(record).toMatchObject({
    provider: 'qwen',
    model: 'qwen-plus',
    requestId: completion.id,
    cost: 1_000 * 400 + 100 * 1_200,
  });
});

test('a client whose baseURL is DashScope is Qwen without saying so', async () => {
  const client = harness.client(
    {},
    { baseURL: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1', fetch: fetchToEmulator() },
  );
  await client.chat.completions.create({ model: 'qwen-turbo', messages }, { headers });
  const [record] = await harness.recorded(1);
  // qwen-turbo: $0.05 / $0.20 per MTok.
  expect(record).toMatchObject({ provider: 'qwen', cost: 1_000 * 50 + 100 * 200 });
});

test('a client on port 11434 is Ollama: local, $0, recorded under its own ids', async () => {
  const client = harness.client({}, { baseURL: 'http://127.0.0.1:11434/v1', fetch: fetchToEmulator() });
  const stream = await client.chat.completions.create(
    { model: 'llama3.2', messages, stream: true },
    { headers },
  );
  let chunks = 0;
  for await (const _ of stream) chunks += 1;
  expect(chunks).toBeGreaterThan(100);
  const [record] = await harness.recorded(1);
  expect(record).toMatchObject({
    provider: 'ollama',
    model: 'llama3.2',
    cost: 0,
    estimated: false,
    inputTokens: 1_000,
    outputTokens: 100,
  });
  // Ollama reuses short random ids (chatcmpl-123): the admission's id keeps records apart.
  expect(record!.requestId).not.toMatch(/^chatcmpl-/);
});
