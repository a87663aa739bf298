import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type BudgetManager, createBudget, ValidationError } from '@tollgate/core';
import { describe, expect, it } from 'vitest';
import {
  API_KEY,
  anthropicClient,
  localTokens,
  MODEL,
  messagesRequests,
  nanoUsd,
  recordOf,
  SONNET_4_5,
  spent,
  testBudget,
  testEmulator,
} from './anthropic-test-support';
import { wrapAnthropic } from './wrap-anthropic';

const emulator = await testEmulator();

const PROMPT = 'Summarise the plot of Hamlet in two sentences.';
const cachingHeaders = {
  'x-emulator-input-tokens': '1200',
  'x-emulator-cached-tokens': '5000',
  'x-emulator-cache-write-tokens': '2000',
  'x-emulator-cache-write-1h-tokens': '1000',
  'x-emulator-output-tokens': '300',
};

describe('wrapAnthropic: messages.create', () => {
  it('records the exact cost of cache reads, 5-minute and 1-hour cache writes', async () => {
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const message = await client.messages.create(
      { model: MODEL, max_tokens: 1024, messages: [{ role: 'user', content: PROMPT }] },
      { headers: cachingHeaders },
    );

    expect(message.usage).toMatchObject({
      input_tokens: 1200,
      cache_read_input_tokens: 5000,
      cache_creation_input_tokens: 3000,
      output_tokens: 300,
    });
    const expected =
      nanoUsd(1200, SONNET_4_5.input) +
      nanoUsd(5000, SONNET_4_5.cacheRead) +
      nanoUsd(2000, SONNET_4_5.cacheWrite5m) +
      nanoUsd(1000, SONNET_4_5.cacheWrite1h) +
      nanoUsd(300, SONNET_4_5.output);
    expect(expected).toBe(23_100_000); // $0.0231
    const record = await recordOf(budget, message.id);
    expect(record).toMatchObject({
      requestId: message.id,
      provider: 'anthropic',
      model: MODEL,
      cost: expected,
      estimated: false,
      inputTokens: 9200,
      cacheReadTokens: 5000,
      cacheWriteTokens: 3000,
      outputTokens: 300,
    });
    expect(await spent(budget)).toEqual({ used: expected, reserved: 0 });
  });

  it('prices thinking as output: output_tokens already includes it', async () => {
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const message = await client.messages.create(
      {
        model: MODEL,
        max_tokens: 4096,
        thinking: { type: 'enabled', budget_tokens: 2048 },
        messages: [{ role: 'user', content: PROMPT }],
      },
      {
        headers: {
          'x-emulator-input-tokens': '800',
          'x-emulator-output-tokens': '150',
          'x-emulator-reasoning-tokens': '350',
        },
      },
    );
    expect(message.content[0]?.type).toBe('thinking');
    expect(message.usage.output_tokens).toBe(500);
    const record = await recordOf(budget, message.id);
    expect(record.cost).toBe(nanoUsd(800, SONNET_4_5.input) + nanoUsd(500, SONNET_4_5.output));
    expect(record.outputTokens).toBe(500);
  });

  it('charges server-side web searches at $10 per thousand', async () => {
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const message = await client.messages.create(
      { model: MODEL, max_tokens: 1024, messages: [{ role: 'user', content: 'Latest news?' }] },
      {
        headers: {
          'x-emulator-input-tokens': '100',
          'x-emulator-output-tokens': '10',
          'x-emulator-web-search-requests': '3',
        },
      },
    );
    const record = await recordOf(budget, message.id);
    expect(record.cost).toBe(
      nanoUsd(100, SONNET_4_5.input) + nanoUsd(10, SONNET_4_5.output) + 3 * 10_000_000,
    );
  });

  it('reserves the worst case before the call and settles the real cost after it', async () => {
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const message = await client.messages.create({
      model: MODEL,
      max_tokens: 1000,
      messages: [{ role: 'user', content: PROMPT }],
    });
    const record = await recordOf(budget, message.id);
    // Worst case: the prompt (counted conservatively, plus framing) and all of max_tokens.
    const promptTokens = localTokens(PROMPT) + 4;
    expect(record.reserved).toBe(nanoUsd(promptTokens, SONNET_4_5.input) + nanoUsd(1000, SONNET_4_5.output));
    expect(record.cost).toBeLessThan(record.reserved);
    expect(record.overrun).toBe(0);
  });

  it('records no prompt, no response text and no API key', async () => {
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const message = await client.messages.create({
      model: MODEL,
      max_tokens: 100,
      system: 'SECRET-SYSTEM-PROMPT',
      messages: [{ role: 'user', content: 'SECRET-USER-PROMPT' }],
    });
    const stored = JSON.stringify(await recordOf(budget, message.id));
    const reply = message.content[0]?.type === 'text' ? message.content[0].text : '';
    expect(reply.length).toBeGreaterThan(10);
    for (const secret of ['SECRET-SYSTEM-PROMPT', 'SECRET-USER-PROMPT', reply, API_KEY])
      expect(stored).not.toContain(secret);
  });

  it('keeps the SDK’s response extras: _request_id, withResponse() and asResponse()', async () => {
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const params = { model: MODEL, max_tokens: 100, messages: [{ role: 'user' as const, content: PROMPT }] };

    const message = await client.messages.create(params);
    expect(message._request_id).toMatch(/^req_/);

    const { data, response, request_id } = await client.messages.create(params).withResponse();
    expect(response.status).toBe(200);
    expect(request_id).toMatch(/^req_/);
    await recordOf(budget, data.id);

    const raw = await client.messages.create(params).asResponse();
    const body = (await raw.json()) as { id: string };
    await expect
      .poll(() => budget.store.getRecord(body.id))
      .toMatchObject({ requestId: body.id, estimated: false });
    expect((await spent(budget)).reserved).toBe(0);
  });

  it('settles a streamed call whose caller reads the raw response', async () => {
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const raw = await client.messages
      .create({ model: MODEL, max_tokens: 100, stream: true, messages: [{ role: 'user', content: PROMPT }] })
      .asResponse();
    const text = await raw.text();
    expect(text).toContain('message_stop');
    const id = /"id":"(msg_[^"]+)"/.exec(text)?.[1];
    await expect
      .poll(() => budget.store.getRecord(id!))
      .toMatchObject({ estimated: false, outputTokens: 64 });
  });

  it('gates messages.parse(), which calls create', async () => {
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const parsed = await client.messages.parse({
      model: MODEL,
      max_tokens: 100,
      messages: [{ role: 'user', content: PROMPT }],
    });
    expect((await recordOf(budget, parsed.id)).estimated).toBe(false);
  });

  it('gates beta.messages.create', async () => {
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const message = await client.beta.messages.create(
      {
        model: MODEL,
        max_tokens: 100,
        betas: ['context-1m-2025-08-07'],
        messages: [{ role: 'user', content: PROMPT }],
      },
      { headers: cachingHeaders },
    );
    expect((await recordOf(budget, message.id)).cost).toBe(23_100_000);
  });

  it('gates the requests of beta tool runners, which go through the client', async () => {
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const runner = client.beta.messages.toolRunner({
      model: MODEL,
      max_tokens: 100,
      messages: [{ role: 'user', content: PROMPT }],
      tools: [],
    });
    const final = await runner.runUntilDone();
    expect((await recordOf(budget, final.id)).estimated).toBe(false);
  });

  it('keeps a client made with withOptions() under the same budget', async () => {
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const derived = client.withOptions({ timeout: 30_000 });
    const message = await derived.messages.create({
      model: MODEL,
      max_tokens: 100,
      messages: [{ role: 'user', content: PROMPT }],
    });
    await recordOf(budget, message.id);
  });

  it('passes everything else through to the real client, its private state included', async () => {
    const budget = testBudget();
    const real = anthropicClient(emulator);
    const client = wrapAnthropic(real, budget);
    expect(client.baseURL).toBe(real.baseURL);
    expect(client.buildURL('/v1/models', null)).toBe(real.buildURL('/v1/models', null));
    expect(client.messages.batches.list).toBeTypeOf('function');
    expect(client.messages.create).toBe(client.messages.create);
    const counted = await client.messages.countTokens({
      model: MODEL,
      messages: [{ role: 'user', content: PROMPT }],
    });
    expect(counted.input_tokens).toBeGreaterThan(0);
    expect(await spent(budget)).toEqual({ used: 0, reserved: 0 });
  });
});

describe('wrapAnthropic: context', () => {
  function scopedBudget(): BudgetManager {
    return createBudget({
      budgets: [
        { id: 'app', limitUsd: 100, perCallCapsUsd: false },
        { id: 'per-user', limitUsd: 1, scope: 'user', perCallCapsUsd: false },
      ],
    });
  }

  it('records the request type and static context, with withContext values on top', async () => {
    const budget = scopedBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget, {
      requestType: 'chat',
      context: { projectId: 'search', tags: ['web'] },
    });
    const params = { model: MODEL, max_tokens: 100, messages: [{ role: 'user' as const, content: PROMPT }] };
    const plain = await client.messages.create(params);
    const scoped = await budget.withContext(
      { userId: 'u-42', requestType: 'summarize', tags: ['nightly'] },
      () => client.messages.create(params),
    );
    expect(await recordOf(budget, plain.id)).toMatchObject({
      requestType: 'chat',
      projectId: 'search',
      tags: ['web'],
    });
    const record = await recordOf(budget, scoped.id);
    expect(record).toMatchObject({ requestType: 'summarize', projectId: 'search', userId: 'u-42' });
    expect([...record.tags].sort()).toEqual(['nightly', 'web']);
    const [, perUser] = await budget.status({ userId: 'u-42' });
    expect(perUser?.usedNano).toBe(record.cost);
  });
});

describe('wrapAnthropic: arguments', () => {
  it('refuses what is not a client, a budget or valid options', () => {
    const budget = testBudget();
    expect(() => wrapAnthropic({} as never, budget)).toThrow(ValidationError);
    expect(() => wrapAnthropic(anthropicClient(emulator), {} as never)).toThrow(ValidationError);
    expect(() =>
      wrapAnthropic(anthropicClient(emulator), budget, { onInsufficientBudget: 'shrink' as never }),
    ).toThrow(/onInsufficientBudget/);
    expect(() =>
      wrapAnthropic(anthropicClient(emulator), budget, { estimateWith: 'remote' as never }),
    ).toThrow(/estimateWith/);
    expect(() => wrapAnthropic(anthropicClient(emulator), budget, { minOutputTokens: 0 })).toThrow(
      /minOutputTokens/,
    );
    expect(() => wrapAnthropic(anthropicClient(emulator), budget, [] as never)).toThrow(ValidationError);
    expect(() =>
      wrapAnthropic(anthropicClient(emulator), budget, { context: { userId: { $gt: '' } as never } }),
    ).toThrow(ValidationError);
  });
});

describe('a call whose promise is never awaited', () => {
  it('is still recorded, from its response, once the promise is garbage collected', async () => {
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    for (const stream of [false, true]) {
      client.messages.create(
        { model: MODEL, max_tokens: 100, stream, messages: [{ role: 'user', content: PROMPT }] },
        {
          headers: cachingHeaders,
        },
      );
    }
    await expect.poll(() => messagesRequests(emulator).length).toBe(2);
    await expect
      .poll(
        async () => {
          collectGarbage();
          return (await spent(budget)).used;
        },
        { timeout: 5_000, interval: 50 },
      )
      .toBe(2 * 23_100_000);
    expect((await recordOf(budget, 'msg_emulator000002')).estimated).toBe(false);
    expect((await spent(budget)).reserved).toBe(0);
  });
});
