import type { Emulator } from '@tollgate/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TEST_API_KEY, ledger, metered, perMillion, withEmulator } from './mistral-test-harness';

const PROMPT = 'Summarize the quarterly report in three sentences, please.';
const messages = [
  { role: 'system' as const, content: 'You are terse.' },
  { role: 'user' as const, content: PROMPT },
];
const usageHeaders = (input: number, output: number, extra: Record<string, string> = {}) => ({
  headers: { 'x-emulator-input-tokens': String(input), 'x-emulator-output-tokens': String(output), ...extra },
});

let emulator: Emulator;
beforeAll(async () => {
  emulator = await withEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

describe('chat.complete', () => {
  it('records mistral-small-latest at $0.15 / $0.60 per million tokens (Mistral Small 4)', async () => {
    const { client, store, budget } = metered(emulator.mistralServerURL);
    const response = await client.chat.complete(
      { model: 'mistral-small-latest', messages, maxTokens: 500 },
      usageHeaders(1200, 300),
    );

    expect(store.committed).toHaveLength(1);
    const record = store.committed[0]!;
    expect(record.cost).toBe(perMillion(1200, 0.15) + perMillion(300, 0.6));
    expect(record).toMatchObject({
      requestId: response.id,
      provider: 'mistral',
      model: 'mistral-small-latest',
      service: 'llm',
      inputTokens: 1200,
      outputTokens: 300,
      estimated: false,
    });
    // The emulator was told to bill more input than the short prompt: the overrun is recorded, not lost.
    expect(record.reserved).toBeGreaterThan(0);
    expect(record.overrun).toBe(Math.max(0, record.cost - record.reserved));
    expect(await ledger(budget)).toEqual({ reserved: 0, used: record.cost });
  });

  it('records mistral-large-2411 at $2 / $6 per million tokens', async () => {
    const { client, store, budget } = metered(emulator.mistralServerURL);
    await client.chat.complete({ model: 'mistral-large-2411', messages }, usageHeaders(1200, 300));

    const record = store.committed[0]!;
    expect(record.cost).toBe(perMillion(1200, 2) + perMillion(300, 6));
    // Recorded as called, beside the catalog id it was priced with.
    expect(record.model).toBe('mistral-large-2411');
    expect(record.catalogModel).toBe(budget.catalog.resolve('mistral', 'mistral-large-2411')!.model);
  });

  it('prices cached prompt tokens passed through in snake_case at the cache rate', async () => {
    const { client, store } = metered(emulator.mistralServerURL);
    // The emulator reports the cached tokens on top of the input: prompt_tokens = 1000 + 600.
    await client.chat.complete(
      { model: 'mistral-medium-latest', messages },
      usageHeaders(1000, 300, { 'x-emulator-cached-tokens': '600' }),
    );

    const record = store.committed[0]!;
    expect(record).toMatchObject({ inputTokens: 1600, cacheReadTokens: 600, outputTokens: 300 });
    expect(record.cost).toBe(perMillion(1000, 1.5) + perMillion(600, 0.15) + perMillion(300, 7.5));
  });

  it('counts reasoning tokens as output', async () => {
    const { client, store } = metered(emulator.mistralServerURL);
    await client.chat.complete(
      { model: 'mistral-small-latest', messages },
      usageHeaders(100, 40, { 'x-emulator-reasoning-tokens': '60' }),
    );
    expect(store.committed[0]).toMatchObject({ outputTokens: 100, reasoningTokens: 60 });
    expect(store.committed[0]!.cost).toBe(perMillion(100, 0.15) + perMillion(100, 0.6));
  });

  it('returns the same response as a bare client and leaves the request untouched', async () => {
    const { client, bare } = metered(emulator.mistralServerURL);
    const request = { model: 'mistral-small-latest', messages, maxTokens: 32 };
    const snapshot = structuredClone(request);
    const wrapped = await client.chat.complete(request);
    const plain = await bare.chat.complete(request);
    expect(request).toEqual(snapshot);
    expect({ ...wrapped, id: 'x', created: 0 }).toEqual({ ...plain, id: 'x', created: 0 });
    const [first, second] = emulator.requests;
    expect(first!.body).toEqual(second!.body);
  });

  it('takes scopes from the options and from budget.withContext, the per-call context winning', async () => {
    const { client, store, budget } = metered(emulator.mistralServerURL, {
      requestType: 'chat',
      context: { projectId: 'search', tags: ['batch'] },
    });
    await client.chat.complete({ model: 'mistral-small-latest', messages });
    await budget.withContext({ userId: 'u-42', requestType: 'summarize', tags: ['nightly'] }, () =>
      client.chat.complete({ model: 'mistral-small-latest', messages }),
    );
    expect(store.committed[0]).toMatchObject({ requestType: 'chat', projectId: 'search', tags: ['batch'] });
    expect(store.committed[1]).toMatchObject({
      requestType: 'summarize',
      projectId: 'search',
      userId: 'u-42',
    });
    expect([...store.committed[1]!.tags].sort()).toEqual(['batch', 'nightly']);
  });

  it('keeps prompt text, response text and the API key out of records', async () => {
    const { client, store } = metered(emulator.mistralServerURL);
    const response = await client.chat.complete({ model: 'mistral-small-latest', messages });
    const stream = await client.chat.stream({ model: 'mistral-small-latest', messages });
    for await (const _ of stream) {
      // drain
    }
    const reply = response.choices[0]!.message!.content as string;
    const persisted = JSON.stringify(store.committed);
    expect(persisted).not.toContain(PROMPT);
    expect(persisted).not.toContain(reply);
    expect(persisted).not.toContain(TEST_API_KEY);
  });

  it('leaves other resources untouched', async () => {
    const { client, budget } = metered(emulator.mistralServerURL);
    expect(client.models).toBeDefined();
    expect(typeof client.models.list).toBe('function');
    expect(client.chat).toBe(client.chat);
    expect(client.chat.complete).toBe(client.chat.complete);
    expect(await ledger(budget)).toEqual({ reserved: 0, used: 0 });
  });
});

describe('chat.parse and chat.parseStream', () => {
  const Summary = z.object({ title: z.string(), points: z.array(z.string()) });

  it('gates and records structured-output calls like chat.complete', async () => {
    const { client, store } = metered(emulator.mistralServerURL);
    const parsed = await client.chat.parse(
      { model: 'mistral-small-latest', messages, responseFormat: Summary },
      usageHeaders(500, 40),
    );
    expect(parsed.choices).toHaveLength(1);
    const stream = await client.chat.parseStream(
      { model: 'mistral-small-latest', messages, responseFormat: Summary },
      usageHeaders(500, 40),
    );
    for await (const _ of stream) {
      // drain
    }
    expect(store.committed).toHaveLength(2);
    for (const record of store.committed) {
      expect(record.cost).toBe(perMillion(500, 0.15) + perMillion(40, 0.6));
      expect(record.estimated).toBe(false);
    }
  });
});

describe('fim.complete', () => {
  it('records codestral-latest at $0.30 / $0.90 per million tokens', async () => {
    const { client, store, budget } = metered(emulator.mistralServerURL);
    const response = await client.fim.complete(
      { model: 'codestral-latest', prompt: 'function add(a, b) {', suffix: '}' },
      usageHeaders(400, 20),
    );
    const record = store.committed[0]!;
    expect(record.requestId).toBe(response.id);
    expect(record.cost).toBe(perMillion(400, 0.3) + perMillion(20, 0.9));
    expect(record.model).toBe('codestral-latest');
    expect(record.catalogModel).toBe(budget.catalog.resolve('mistral', 'codestral-latest')!.model);
  });
});
