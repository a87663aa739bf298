import { countTokens, type TollgateWarning } from '@tollgate/core';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { collect, type Harness, startHarness } from './testing/openai-test-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness(undefined, { onWarning: () => {} });
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.store.committed.length = 0;
});

const PROMPT = 'Write a short note to the finance team about this month’s cloud spend and the two vendors.';
const request = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content: PROMPT }],
  max_tokens: 20,
};
const promptTokens = countTokens(PROMPT, 'openai', 'gpt-4o-mini').tokens;

/** A response without what differs between two requests (id, creation time). */
function comparable<T extends { id: string; created: number }>({ id, created, ...rest }: T) {
  return rest;
}

describe('a chat completion whose usage cannot be trusted', () => {
  test.each([
    ['completion_tokens is not a number', '{"prompt_tokens":30,"completion_tokens":"abc"}'],
    ['the usage is an array', '[1,2,3]'],
    ['the prompt is negative', '{"prompt_tokens":-5000,"completion_tokens":10}'],
    ['a count is huge', '{"prompt_tokens":30,"completion_tokens":1e300}'],
    ['a count is infinite', '{"prompt_tokens":30,"completion_tokens":1e400}'],
    [
      'cached tokens exceed the prompt',
      '{"prompt_tokens":30,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":31}}',
    ],
    ['counts are fractional', '{"prompt_tokens":30.5,"completion_tokens":5.25}'],
    ['the prompt is beyond the context window', '{"prompt_tokens":128001,"completion_tokens":5}'],
    ['nothing was used', '{"prompt_tokens":0,"completion_tokens":0}'],
    ['the usage is null', 'null'],
  ])(
    '%s: the caller gets the response as sent, the record is rebuilt, nothing stays reserved',
    async (_name, usage) => {
      const headers = { 'x-emulator-usage-json': usage };
      const bare = await harness.bareClient().chat.completions.create(request, { headers });
      const completion: ChatCompletion = await harness.client().chat.completions.create(request, { headers });
      expect(comparable(completion)).toEqual(comparable(bare));
      const [record] = await harness.recorded(1);
      expect(record).toMatchObject({ requestId: completion.id, estimated: true, outputTokens: 20 });
      expect(record!.inputTokens).toBeGreaterThanOrEqual(promptTokens);
      expect(await harness.reserved()).toBe(0);
    },
  );

  test('warns the budget, once per model, with the reason and the block', async () => {
    const received: TollgateWarning[] = [];
    const fresh = await startHarness(undefined, { onWarning: (warning) => received.push(warning) });
    try {
      const headers = { 'x-emulator-usage-json': '{"prompt_tokens":-5000,"completion_tokens":10}' };
      await fresh.client().chat.completions.create(request, { headers });
      await fresh.client().chat.completions.create(request, { headers });
      expect(received.map(({ code, subject, message }) => ({ code, subject, message }))).toEqual([
        {
          code: 'TOLLGATE_UNTRUSTED_USAGE',
          subject: 'openai/gpt-4o-mini',
          message:
            'openai gpt-4o-mini: prompt_tokens is negative; the call was recorded from local counts, marked estimated (usage: {"prompt_tokens":-5000,"completion_tokens":10})',
        },
      ]);
    } finally {
      await fresh.close();
    }
  });
});

describe('a chat stream whose usage cannot be trusted', () => {
  const streamed = { ...request, stream: true as const, stream_options: { include_usage: true } };

  test.each([
    ['a malformed usage chunk', { 'x-emulator-usage-json': '{"prompt_tokens":"30","completion_tokens":20}' }],
    [
      'a usage before the content',
      {
        'x-emulator-early-usage-json': '{"prompt_tokens":30,"completion_tokens":1}',
        'x-emulator-omit-usage': 'true',
      },
    ],
    [
      'a usage that goes down',
      { 'x-emulator-early-usage-json': '{"prompt_tokens":30,"completion_tokens":500}' },
    ],
  ])('%s: the caller gets every chunk as sent, the record is rebuilt', async (_name, headers) => {
    const bare = await collect(await harness.bareClient().chat.completions.create(streamed, { headers }));
    const wrapped: ChatCompletionChunk[] = await collect(
      await harness.client().chat.completions.create(streamed, { headers }),
    );
    expect(wrapped.map(comparable)).toEqual(bare.map(comparable));
    const [record] = await harness.recorded(1);
    expect(record).toMatchObject({ estimated: true, outputTokens: 20 });
    expect(record!.inputTokens).toBeGreaterThanOrEqual(promptTokens);
    expect(await harness.reserved()).toBe(0);
  });

  test('a usage sent twice alike is the call’s usage', async () => {
    const usage = '{"prompt_tokens":30,"completion_tokens":20}';
    const headers = { 'x-emulator-usage-json': usage, 'x-emulator-late-usage-json': usage };
    await collect(await harness.client().chat.completions.create(streamed, { headers }));
    const [record] = await harness.recorded(1);
    expect(record).toMatchObject({ estimated: false, inputTokens: 30, outputTokens: 20 });
  });
});

describe('a settlement that fails', () => {
  test('never takes the response from the caller, and gives the hold back', async () => {
    const failing = await startHarness(undefined, { usageBuffer: false });
    failing.store.commit = () => Promise.reject(new Error('disk full'));
    const failures: unknown[] = [];
    try {
      const client = failing.client({ onSettleError: (error) => failures.push(error) });
      const completion = await client.chat.completions.create(request);
      expect(completion.choices[0]?.message.content).toMatch(/^Lorem/);
      expect(failures).toHaveLength(1);
      expect(await failing.reserved()).toBe(0);
    } finally {
      await failing.close();
    }
  });
});
