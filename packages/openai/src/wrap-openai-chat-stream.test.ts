import { countTokens } from '@tollgate/core';
import OpenAI from 'openai';
import { Stream } from 'openai/core/streaming';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { collect, GPT_4O_MINI, type Harness, startHarness } from './testing/openai-test-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.store.committed.length = 0;
});

const request = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content: 'Tell me a story.' }],
  stream: true as const,
};
const usageHeaders = { 'x-emulator-input-tokens': '100', 'x-emulator-output-tokens': '20' };

/** Chunks without what differs between two requests (id, creation time). */
function comparable(chunks: ChatCompletionChunk[]) {
  return chunks.map(({ id, created, ...rest }) => rest);
}

describe('chat.completions.create({ stream: true })', () => {
  test('the caller sees exactly the chunks of an unwrapped client, and the call is recorded exactly', async () => {
    const bare = await collect(
      await harness.bareClient().chat.completions.create(request, { headers: usageHeaders }),
    );
    const stream = await harness.client().chat.completions.create(request, { headers: usageHeaders });
    expect(stream).toBeInstanceOf(Stream);
    expect(stream.controller).toBeInstanceOf(AbortController);
    const wrapped = await collect(stream);
    expect(comparable(wrapped)).toEqual(comparable(bare));
    expect(wrapped.every((chunk) => !('usage' in chunk))).toBe(true);
    // The wrapper asked for the usage; the emulator's log shows it.
    expect(harness.emulator.requests.at(-1)?.body).toMatchObject({ stream_options: { include_usage: true } });
    const [record] = await harness.recorded(1);
    expect(record).toMatchObject({
      requestId: wrapped[0]!.id,
      estimated: false,
      cost: 100 * GPT_4O_MINI.input + 20 * GPT_4O_MINI.output,
    });
    expect(await harness.reserved()).toBe(0);
  });

  test('a caller who asked for the usage sees the usage chunk as without the wrapper', async () => {
    const withUsage = { ...request, stream_options: { include_usage: true } };
    const bare = await collect(
      await harness.bareClient().chat.completions.create(withUsage, { headers: usageHeaders }),
    );
    const wrapped = await collect(
      await harness.client().chat.completions.create(withUsage, { headers: usageHeaders }),
    );
    expect(comparable(wrapped)).toEqual(comparable(bare));
    expect(wrapped.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 100, completion_tokens: 20 },
    });
    expect((await harness.recorded(1))[0]!.estimated).toBe(false);
  });

  test('a stream left with `break` is settled from the input estimate plus the output streamed', async () => {
    const stream = await harness
      .client()
      .chat.completions.create(request, { headers: { 'x-emulator-output-tokens': '200' } });
    let received = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) received += 1;
      if (received === 5) break;
    }
    const [record] = await harness.recorded(1);
    expect(record!.estimated).toBe(true);
    expect(record!.cost).toBeGreaterThan(0);
    expect(record!.outputTokens).toBeGreaterThanOrEqual(5);
    expect(record!.outputTokens).toBeLessThan(20);
    expect(record!.cost).toBe(
      record!.inputTokens * GPT_4O_MINI.input + record!.outputTokens * GPT_4O_MINI.output,
    );
    expect(stream.controller.signal.aborted).toBe(true);
    expect(await harness.reserved()).toBe(0);
  });

  test('a stream aborted through its controller is settled as estimated', async () => {
    const stream = await harness.client().chat.completions.create(request, {
      headers: { 'x-emulator-output-tokens': '200', 'x-emulator-stall-after-chunks': '3' },
    });
    let received = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) received += 1;
      if (received === 3) stream.controller.abort();
    }
    const [record] = await harness.recorded(1);
    expect(record).toMatchObject({ estimated: true });
    expect(record!.outputTokens).toBeGreaterThanOrEqual(3);
    expect(record!.cost).toBeGreaterThan(0);
    expect(await harness.reserved()).toBe(0);
  });

  test('an abort before anything was read still records the input', async () => {
    const stream = await harness.client().chat.completions.create(request);
    stream.controller.abort();
    const [record] = await harness.recorded(1);
    expect(record).toMatchObject({ estimated: true, outputTokens: 0 });
    expect(record!.cost).toBe(record!.inputTokens * GPT_4O_MINI.input);
    expect(record!.cost).toBeGreaterThan(0);
  });

  test('a dropped connection settles as estimated and the error reaches the caller', async () => {
    const stream = await harness
      .client()
      .chat.completions.create(request, { headers: { 'x-emulator-drop-after-chunks': '10' } });
    const seen: ChatCompletionChunk[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) seen.push(chunk);
      })(),
    ).rejects.toThrow();
    const [record] = await harness.recorded(1);
    expect(record).toMatchObject({ estimated: true });
    expect(record!.outputTokens).toBeGreaterThanOrEqual(9);
    expect(await harness.reserved()).toBe(0);
  });

  test('a stream whose usage is left out settles from the streamed output', async () => {
    const stream = await harness.client().chat.completions.create(request, {
      headers: {
        'x-emulator-omit-usage': 'true',
        'x-emulator-output-tokens': '40',
        'x-emulator-input-tokens': '100',
      },
    });
    const chunks = await collect(stream);
    expect(chunks.filter((chunk) => chunk.choices[0]?.delta.content)).toHaveLength(40);
    const [record] = await harness.recorded(1);
    expect(record).toMatchObject({ estimated: true });
    expect(record!.outputTokens).toBeGreaterThanOrEqual(40);
  });

  test('an output rebuilt from the streamed text never exceeds the request limit, nor the reservation', async () => {
    const stream = await harness
      .client()
      .chat.completions.create(
        { ...request, max_tokens: 8 },
        { headers: { 'x-emulator-omit-usage': 'true' } },
      );
    const text = (await collect(stream)).map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    // The eight emulated words are more than eight tokens for the tokenizer: the count alone would overrun.
    expect(countTokens(text, 'openai', 'gpt-4o-mini').tokens).toBeGreaterThan(8);
    const [record] = await harness.recorded(1);
    expect(record).toMatchObject({ estimated: true, outputTokens: 8, overrun: 0 });
    expect(record!.cost).toBeLessThanOrEqual(record!.reserved);
  });

  test('tee() and toReadableStream() still work', async () => {
    const [left, right] = (
      await harness.client().chat.completions.create(request, { headers: usageHeaders })
    ).tee();
    const [a, b] = await Promise.all([collect(left), collect(right)]);
    expect(a).toEqual(b);
    expect(a.every((chunk) => !('usage' in chunk))).toBe(true);
    const readable = (
      await harness.client().chat.completions.create(request, { headers: usageHeaders })
    ).toReadableStream();
    const back = await collect(
      Stream.fromReadableStream<ChatCompletionChunk>(readable, new AbortController()),
    );
    expect(back.filter((chunk) => chunk.choices[0]?.delta.content)).toHaveLength(20);
    const records = await harness.recorded(2);
    expect(records.map((record) => record.estimated)).toEqual([false, false]);
  });

  test('an abort signal that fires before the response releases the reservation', async () => {
    // The emulator takes the request and never answers: the abort comes before any response.
    harness.emulator.faults.stall = { provider: 'openai', endpoint: 'chat.completions' };
    try {
      const controller = new AbortController();
      const received = harness.emulator.requests.length;
      const outcome = harness
        .client()
        .chat.completions.create(request, { signal: controller.signal })
        .then(
          () => 'answered',
          (error: unknown) => error,
        );
      await vi.waitFor(() => expect(harness.emulator.requests).toHaveLength(received + 1), {
        timeout: 10_000,
      });
      controller.abort();
      expect(await outcome).toBeInstanceOf(OpenAI.APIUserAbortError);
      expect(await harness.reserved()).toBe(0);
      expect(harness.store.committed).toHaveLength(0);
    } finally {
      harness.emulator.faults.stall = null;
    }
  });
});

describe('chat.completions.stream() helper', () => {
  test('is gated and recorded, and its events are those of an unwrapped client', async () => {
    const runner = harness
      .client()
      .chat.completions.stream(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Tell me a story.' }] },
        { headers: usageHeaders },
      );
    const deltas: string[] = [];
    runner.on('content', (delta) => deltas.push(delta));
    const completion = await runner.finalChatCompletion();
    const bare = await harness
      .bareClient()
      .chat.completions.stream(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Tell me a story.' }] },
        { headers: usageHeaders },
      )
      .finalChatCompletion();
    expect(completion.choices[0]!.message.content).toBe(bare.choices[0]!.message.content);
    expect(deltas.join('')).toBe(completion.choices[0]!.message.content);
    expect(completion.usage).toBe(bare.usage);
    const [record] = await harness.recorded(1);
    expect(record).toMatchObject({
      requestId: completion.id,
      estimated: false,
      cost: 100 * GPT_4O_MINI.input + 20 * GPT_4O_MINI.output,
    });
  });

  test('runTools() is gated round by round', async () => {
    const runner = harness.client().chat.completions.runTools(
      {
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'What time is it?' }],
        tools: [
          {
            type: 'function',
            function: {
              name: 'now',
              description: 'The current time.',
              parameters: { type: 'object', properties: {} },
              function: () => '12:00',
            },
          },
        ],
      },
      { headers: usageHeaders },
    );
    const content = await runner.finalContent();
    expect(content).toMatch(/^Lorem/);
    const [record] = await harness.recorded(1);
    expect(record).toMatchObject({
      estimated: false,
      cost: 100 * GPT_4O_MINI.input + 20 * GPT_4O_MINI.output,
    });
  });
});
