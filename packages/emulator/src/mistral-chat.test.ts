import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './emulator.js';
import { collect, mistralClient } from './sdk-test-clients.js';

describe('Mistral chat and FIM', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  const messages = [{ role: 'user' as const, content: 'Say hello to the budget tests.' }];
  // ceil(29 / 4) + 4
  const promptTokens = 12;

  it('serves chat under the /mistral prefix with usage', async () => {
    const result = await mistralClient(emulator).chat.complete({ model: 'mistral-small-latest', messages });
    expect(emulator.requests.at(-1)).toMatchObject({
      provider: 'mistral',
      endpoint: 'chat.completions',
      path: '/mistral/v1/chat/completions',
    });
    expect(result.choices[0]?.finishReason).toBe('stop');
    expect(result.choices[0]?.message?.content).toMatch(/^Lorem ipsum/);
    expect(result.usage).toEqual({ promptTokens, completionTokens: 64, totalTokens: promptTokens + 64 });
  });

  it('reports cached and reasoning tokens from per-request headers', async () => {
    const result = await mistralClient(emulator).chat.complete(
      { model: 'magistral-medium-latest', messages, maxTokens: 10 },
      { headers: { 'x-emulator-cached-tokens': '50', 'x-emulator-reasoning-tokens': '20' } },
    );
    expect(result.choices[0]?.finishReason).toBe('length');
    expect(result.usage).toMatchObject({
      promptTokens: promptTokens + 50,
      completionTokens: 30,
      totalTokens: promptTokens + 80,
      prompt_tokens_details: { cached_tokens: 50 },
      completion_tokens_details: { reasoning_tokens: 20 },
    });
  });

  it('streams chunks with the usage in the last one and ends at [DONE]', async () => {
    const events = await collect(
      await mistralClient(emulator).chat.stream({ model: 'mistral-small-latest', messages, maxTokens: 4 }),
    );
    const chunks = events.map((event) => event.data);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const content = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(content).toBe('Lorem ipsum dolor sit');
    expect(chunks.filter((chunk) => chunk.usage)).toHaveLength(1);
    expect(chunks.at(-1)?.choices[0]?.finishReason).toBe('length');
    expect(chunks.at(-1)?.usage).toEqual({
      promptTokens,
      completionTokens: 4,
      totalTokens: promptTokens + 4,
    });
  });

  it('leaves the usage out of the last chunk when the omit-usage fault is on', async () => {
    emulator.faults.omitUsage = true;
    const events = await collect(
      await mistralClient(emulator).chat.stream({ model: 'mistral-small-latest', messages }),
    );
    expect(events.at(-1)?.data.choices[0]?.finishReason).toBe('stop');
    expect(events.some((event) => event.data.usage)).toBe(false);
  });

  it('completes and streams fill-in-the-middle', async () => {
    const client = mistralClient(emulator);
    // 'def add(a, b):' + '\n    return a + b' is 14 + 17 characters: ceil(31 / 4) + 4
    const request = { model: 'codestral-latest', prompt: 'def add(a, b):', suffix: '\n    return a + b' };
    const result = await client.fim.complete({ ...request, maxTokens: 3 });
    expect(result.choices[0]?.message?.content).toBe('Lorem ipsum dolor');
    expect(result.usage).toEqual({ promptTokens: 12, completionTokens: 3, totalTokens: 15 });
    const events = await collect(await client.fim.stream({ ...request, maxTokens: 2 }));
    expect(events.at(-1)?.data.usage).toEqual({ promptTokens: 12, completionTokens: 2, totalTokens: 14 });
    expect(emulator.requests.at(-1)?.path).toBe('/mistral/v1/fim/completions');
  });
});
