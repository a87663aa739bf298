import { countTokens, ValidationError } from '@tollgate/core';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, test } from 'vitest';
import { API_KEY, GPT_4O_MINI, type Harness, startHarness } from './testing/openai-test-harness';
import { wrapOpenAI } from './wrap-openai';

const PROMPT = 'Summarize the quarterly report of the secret project Bluebird.';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.store.committed.length = 0;
});

describe('chat.completions.create', () => {
  test('records the exact cost from the usage: cached tokens are taken out of prompt_tokens', async () => {
    const client = harness.client();
    const completion = await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }], max_completion_tokens: 200 },
      {
        headers: {
          'x-emulator-input-tokens': '1000',
          'x-emulator-cached-tokens': '200',
          'x-emulator-output-tokens': '50',
          'x-emulator-reasoning-tokens': '30',
        },
      },
    );
    expect(completion.usage).toMatchObject({ prompt_tokens: 1_200, completion_tokens: 80 });
    const [record] = await harness.recorded(1);
    // gpt-4o-mini: $0.15 / MTok input, $0.075 / MTok cached input, $0.60 / MTok output (reasoning included).
    const expected = 1_000 * GPT_4O_MINI.input + 200 * GPT_4O_MINI.cachedInput + 80 * GPT_4O_MINI.output;
    expect(record).toMatchObject({
      requestId: completion.id,
      provider: 'openai',
      model: 'gpt-4o-mini',
      service: 'llm',
      cost: expected,
      estimated: false,
      inputTokens: 1_200,
      cacheReadTokens: 200,
      outputTokens: 80,
      reasoningTokens: 30,
    });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(record!.reserved).toBeGreaterThan(0);
    expect(await harness.reserved()).toBe(0);
  });

  test('the gate reserves the worst case: the prompt tokens plus max_completion_tokens', async () => {
    await harness.client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: PROMPT }],
      max_completion_tokens: 321,
    });
    const [record] = await harness.recorded(1);
    const inputPart = record!.reserved - 321 * GPT_4O_MINI.output;
    const promptTokens = countTokens(PROMPT, 'openai', 'gpt-4o-mini').tokens;
    // The prompt's own tokens plus a few tokens of chat framing.
    expect(inputPart % GPT_4O_MINI.input).toBe(0);
    expect(inputPart / GPT_4O_MINI.input).toBeGreaterThanOrEqual(promptTokens);
    expect(inputPart / GPT_4O_MINI.input).toBeLessThanOrEqual(promptTokens + 10);
  });

  test('the record carries the context: options, withContext, no prompt text and no API key', async () => {
    const client = harness.client({
      requestType: 'summarize',
      context: { projectId: 'reports', tags: ['batch'] },
    });
    const completion = await harness.budget.withContext({ userId: 'u-42', tags: ['nightly'] }, () =>
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }] }),
    );
    const [record] = await harness.recorded(1);
    expect(record).toMatchObject({ requestType: 'summarize', projectId: 'reports', userId: 'u-42' });
    expect([...record!.tags].sort()).toEqual(['batch', 'nightly']);
    const stored = JSON.stringify(harness.store.committed);
    expect(stored).not.toContain('Bluebird');
    expect(stored).not.toContain(API_KEY);
    expect(stored).not.toContain(completion.choices[0]!.message.content!);
  });

  test('n choices multiply the worst case and the usage counts them all', async () => {
    const client = harness.client();
    const completion = await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], n: 3, max_tokens: 10 },
      { headers: { 'x-emulator-input-tokens': '20' } },
    );
    expect(completion.choices).toHaveLength(3);
    const [record] = await harness.recorded(1);
    expect(record!.cost).toBe(20 * GPT_4O_MINI.input + 30 * GPT_4O_MINI.output);
  });
});

describe('the wrapped client', () => {
  test('has the same type and is the same kind of object', () => {
    const bare = harness.bareClient();
    const client = wrapOpenAI(bare, harness.budget);
    expectTypeOf(client).toEqualTypeOf<OpenAI>();
    expectTypeOf(client.chat.completions.create).toEqualTypeOf<OpenAI['chat']['completions']['create']>();
    expectTypeOf(client.responses.create).toEqualTypeOf<OpenAI['responses']['create']>();
    expect(client).toBeInstanceOf(OpenAI);
    expect(client.baseURL).toBe(bare.baseURL);
    expect(client.chat.completions).toBe(client.chat.completions);
    expect(client.chat.completions.create).toBe(client.chat.completions.create);
  });

  test('other methods pass through untouched and record nothing', async () => {
    const client = harness.client();
    await expect(client.models.list()).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(client.chat.completions.retrieve('chatcmpl-1')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    expect(harness.store.committed).toHaveLength(0);
    expect(harness.emulator.requests.at(-1)?.path).toBe('/v1/chat/completions/chatcmpl-1');
  });

  test('downgrade: true on a budget that picks no cheaper model leaves the call alone', async () => {
    await harness
      .client({ downgrade: true })
      .chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    expect(harness.emulator.requests.at(-1)?.body).toMatchObject({ model: 'gpt-4o' });
    expect((await harness.recorded(1))[0]).toMatchObject({ model: 'gpt-4o' });
  });

  test('withOptions() returns a client under the same budget', async () => {
    const client = harness.client().withOptions({ timeout: 5_000 });
    await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(await harness.recorded(1)).toHaveLength(1);
  });

  test('refuses to wrap a client twice and checks its options', () => {
    const client = harness.client();
    expect(() => wrapOpenAI(client, harness.budget)).toThrow(ValidationError);
    expect(() =>
      wrapOpenAI(harness.bareClient(), harness.budget, { onInsufficientBudget: 'shrink' as never }),
    ).toThrow(ValidationError);
    expect(() => wrapOpenAI(harness.bareClient(), harness.budget, { provider: '$where' })).toThrow(
      ValidationError,
    );
    for (const options of [
      null,
      7,
      { context: 'u-1' },
      { context: { userId: { $gt: '' } } },
      { downgrade: 'yes' },
      { minOutputTokens: 0 },
      { minOutputTokens: Number.NaN },
    ]) {
      expect(() => wrapOpenAI(harness.bareClient(), harness.budget, options as never)).toThrow(
        ValidationError,
      );
    }
  });

  test('refuses an unknown option with the one it most likely means', () => {
    expect(() => wrapOpenAI(harness.bareClient(), harness.budget, { requestTyp: 'chat' } as never)).toThrow(
      "Invalid options.requestTyp: is not an option (did you mean 'requestType'?)",
    );
  });
});
