import { APIError as AnthropicAPIError, RateLimitError as AnthropicRateLimitError } from '@anthropic-ai/sdk';
import { MistralError } from '@mistralai/mistralai/models/errors';
import { type IncomingMessage, request as httpRequest } from 'node:http';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Emulator, startEmulator } from './emulator.js';
import { defaultFaultSettings, resolveRequestFaults } from './fault-injection.js';
import { anthropicClient, collect, mistralClient, openaiClient } from './sdk-test-clients.js';

const chatRequest = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };
const anthropicRequest = {
  model: 'claude-haiku-4-5',
  max_tokens: 100,
  messages: [{ role: 'user' as const, content: 'hi' }],
};
const mistralRequest = {
  model: 'mistral-small-latest',
  messages: [{ role: 'user' as const, content: 'hi' }],
};

/** A chat completion posted with node:http; resolves when the response starts. */
function postChatCompletion(
  emulator: Emulator,
  body: object,
  headers: Record<string, string> = {},
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${emulator.openaiBaseURL}/chat/completions`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test-key', ...headers },
      },
      resolve,
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

/** Stream chunks of an OpenAI chat completion stream that carry content. */
function contentChunksIn(text: string): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith('data: {'))
    .filter((line) => JSON.parse(line.slice('data: '.length)).choices?.[0]?.delta?.content).length;
}

/**
 * Makes the emulator's clock (setTimeout) the test's to move, and counts the waits it asks for of
 * a given length. Requests go through node:http, whose timers are not that clock: the tests check
 * what the emulator has sent at each moment of its clock, not how long anything took.
 */
function fakeEmulatorClock(): { waits(milliseconds: number): number } {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  const requested = vi.spyOn(globalThis, 'setTimeout');
  return {
    waits: (milliseconds) => requested.mock.calls.filter(([, delay]) => delay === milliseconds).length,
  };
}

/** Waits until `condition` holds (polling on setImmediate, which the fake clock leaves alone); false after 5 s. */
async function waitFor(condition: () => boolean): Promise<boolean> {
  const end = performance.now() + 5_000;
  while (!condition()) {
    if (performance.now() > end) return false;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return true;
}

describe('resolveRequestFaults', () => {
  it('consumes an error with times and clears it at zero without changing the caller object', () => {
    const settings = defaultFaultSettings();
    const fault = { status: 429, times: 2 };
    settings.error = fault;
    expect(resolveRequestFaults(settings, {}, 'openai').error?.status).toBe(429);
    expect(settings.error).toEqual({ status: 429, times: 1 });
    expect(resolveRequestFaults(settings, {}, 'openai').error?.status).toBe(429);
    expect(settings.error).toBeNull();
    expect(resolveRequestFaults(settings, {}, 'openai').error).toBeNull();
    expect(fault.times).toBe(2);
  });

  it('only fails the provider an error is restricted to', () => {
    const settings = { ...defaultFaultSettings(), error: { status: 500, provider: 'anthropic' as const } };
    expect(resolveRequestFaults(settings, {}, 'openai').error).toBeNull();
    expect(resolveRequestFaults(settings, {}, 'anthropic').error?.status).toBe(500);
    expect(settings.error).not.toBeNull();
  });

  it('lets headers override the settings and uses the latency as chunk delay by default', () => {
    const settings = { ...defaultFaultSettings(), latencyMs: 5 };
    const faults = resolveRequestFaults(
      settings,
      { 'x-emulator-drop-after-chunks': '3', 'x-emulator-omit-usage': '1', 'x-emulator-error-status': '401' },
      'mistral',
    );
    expect(faults).toEqual({
      latencyMs: 5,
      chunkDelayMs: 5,
      error: { status: 401, message: undefined, retryAfterSeconds: undefined },
      dropAfterChunks: 3,
      stallAfterChunks: null,
      omitUsage: true,
    });
  });

  it('rejects malformed fault headers', () => {
    expect(() =>
      resolveRequestFaults(defaultFaultSettings(), { 'x-emulator-latency-ms': 'soon' }, 'openai'),
    ).toThrow(/x-emulator-latency-ms/);
    expect(() =>
      resolveRequestFaults(defaultFaultSettings(), { 'x-emulator-error-status': '200' }, 'openai'),
    ).toThrow(/400-599/);
  });
});

describe('fault knobs through the SDKs', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  it('turns an injected 429 into each SDK rate-limit error, in each provider shape', async () => {
    emulator.faults.error = { status: 429, times: 3, message: 'Slow down', retryAfterSeconds: 2 };

    const openaiError = await openaiClient(emulator)
      .chat.completions.create(chatRequest)
      .catch((error: unknown) => error);
    expect(openaiError).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimit = openaiError as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.error).toEqual({
      message: 'Slow down',
      type: 'requests',
      param: null,
      code: 'rate_limit_exceeded',
    });
    expect(rateLimit.headers?.get('retry-after')).toBe('2');

    const anthropicError = await anthropicClient(emulator)
      .messages.create(anthropicRequest)
      .catch((error: unknown) => error);
    expect(anthropicError).toBeInstanceOf(AnthropicRateLimitError);
    expect((anthropicError as AnthropicRateLimitError).error).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Slow down' },
    });

    const mistralError = await mistralClient(emulator)
      .chat.complete(mistralRequest)
      .catch((error: unknown) => error);
    expect(mistralError).toBeInstanceOf(MistralError);
    expect((mistralError as MistralError).statusCode).toBe(429);
    expect(JSON.parse((mistralError as MistralError).body)).toEqual({
      object: 'error',
      message: 'Slow down',
      type: 'rate_limited',
      param: null,
      code: '429',
    });

    expect(emulator.faults.error).toBeNull();
    const completion = await openaiClient(emulator).chat.completions.create(chatRequest);
    expect(completion.usage?.completion_tokens).toBe(64);
    expect(emulator.requests.map((request) => request.status)).toEqual([429, 429, 429, 200]);
  });

  it('maps 400, 401 and 500 to the SDK error classes', async () => {
    const client = openaiClient(emulator);
    const statusErrors = [
      [400, OpenAI.BadRequestError],
      [401, OpenAI.AuthenticationError],
      [500, OpenAI.InternalServerError],
    ] as const;
    for (const [status, errorClass] of statusErrors) {
      emulator.faults.error = { status, times: 1 };
      await expect(client.chat.completions.create(chatRequest)).rejects.toBeInstanceOf(errorClass);
    }
    const overloaded = await anthropicClient(emulator, { 'x-emulator-error-status': '529' })
      .messages.create(anthropicRequest)
      .catch((error: unknown) => error);
    expect(overloaded).toBeInstanceOf(AnthropicAPIError);
    expect((overloaded as AnthropicAPIError).status).toBe(529);
    expect((overloaded as AnthropicAPIError).type).toBe('overloaded_error');
  });

  it('fails only the endpoint an error is restricted to', async () => {
    emulator.faults.error = { status: 500, endpoint: 'messages.count_tokens' };
    const client = anthropicClient(emulator);
    await expect(client.messages.countTokens(anthropicRequest)).rejects.toMatchObject({ status: 500 });
    await expect(client.messages.create(anthropicRequest)).resolves.toBeTruthy();
    expect(emulator.requests.map((request) => [request.endpoint, request.status])).toEqual([
      ['messages.count_tokens', 500],
      ['messages', 200],
    ]);
  });

  it('leaves a stalled endpoint unanswered until its client gives up, and answers the others', async () => {
    emulator.faults.stall = { provider: 'anthropic', endpoint: 'messages.count_tokens' };
    const client = anthropicClient(emulator);
    const controller = new AbortController();
    const counted = client.messages
      .countTokens(anthropicRequest, { signal: controller.signal })
      .catch((error: unknown) => error);
    await expect(client.messages.create(anthropicRequest)).resolves.toBeTruthy();
    expect(await waitFor(() => emulator.requests.length === 2)).toBe(true);
    controller.abort();
    expect((await counted) as Error).toMatchObject({ name: 'APIUserAbortError' });
    const countRequest = emulator.requests.find((request) => request.endpoint === 'messages.count_tokens');
    expect(countRequest?.status).toBeUndefined();
    emulator.reset();
    expect(emulator.faults.stall).toBeUndefined();
  });

  it('holds the matching requests until released, then answers them; the others pass', async () => {
    const hold = emulator.holdResponses({ provider: 'anthropic', endpoint: 'messages' });
    const client = anthropicClient(emulator);
    let answered = 0;
    const calls = Array.from({ length: 3 }, () =>
      client.messages.create(anthropicRequest).then((message) => {
        answered += 1;
        return message;
      }),
    );
    await expect(client.messages.countTokens(anthropicRequest)).resolves.toBeTruthy();
    await vi.waitFor(() => expect(hold.waiting).toBe(3), { timeout: 10_000 });
    expect(answered).toBe(0);
    expect(emulator.requests.filter((request) => request.endpoint === 'messages')).toHaveLength(3);
    hold.release();
    const messages = await Promise.all(calls);
    expect(messages.map((message) => message.usage.output_tokens)).toEqual([64, 64, 64]);
    expect(hold.waiting).toBe(0);
    // Released: later requests are answered at once.
    await expect(client.messages.create(anthropicRequest)).resolves.toBeTruthy();
  });

  it('callTogether answers no call before every call is waiting or has ended without reaching it', async () => {
    const client = anthropicClient(emulator);
    const refused = new Error('refused before sending');
    const loggedAtEachAnswer: number[] = [];
    const messagesLogged = () =>
      emulator.requests.filter((request) => request.endpoint === 'messages').length;
    const outcomes = await emulator.callTogether(
      5,
      async (index) => {
        if (index % 2 === 1) throw refused;
        // The last call is sent only once the first two are waiting: released early, they would be answered first.
        if (index === 4) await vi.waitFor(() => expect(messagesLogged()).toBe(2), { timeout: 10_000 });
        const message = await client.messages.create(anthropicRequest);
        loggedAtEachAnswer.push(messagesLogged());
        return message.usage.output_tokens;
      },
      { endpoint: 'messages' },
    );
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 64 },
      { status: 'rejected', reason: refused },
      { status: 'fulfilled', value: 64 },
      { status: 'rejected', reason: refused },
      { status: 'fulfilled', value: 64 },
    ]);
    expect(loggedAtEachAnswer).toEqual([3, 3, 3]);
    await expect(client.messages.create(anthropicRequest)).resolves.toBeTruthy();
  });

  it('fails one request through the error header', async () => {
    const client = openaiClient(emulator);
    await expect(
      client.chat.completions.create(chatRequest, {
        headers: { 'x-emulator-error-status': '429', 'x-emulator-error-message': 'quota' },
      }),
    ).rejects.toMatchObject({ status: 429, message: expect.stringContaining('quota') });
    await expect(client.chat.completions.create(chatRequest)).resolves.toBeTruthy();
  });

  it('holds the response for the latency, on the emulator’s clock', async () => {
    const clock = fakeEmulatorClock();
    try {
      emulator.faults.latencyMs = 150;
      emulator.faults.chunkDelayMs = 0;
      const response = postChatCompletion(emulator, chatRequest);
      expect(await waitFor(() => clock.waits(150) === 1)).toBe(true);
      const [record] = emulator.requests;
      await vi.advanceTimersByTimeAsync(149);
      expect(record?.status).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect((await response).statusCode).toBe(200);
      expect(record?.status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it('holds each stream chunk for the chunk delay, on the emulator’s clock', async () => {
    const clock = fakeEmulatorClock();
    try {
      const response = await postChatCompletion(
        emulator,
        { ...chatRequest, stream: true },
        { 'x-emulator-chunk-delay-ms': '20', 'x-emulator-output-tokens': '5' },
      );
      let text = '';
      response.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      const ended = new Promise((resolve) => response.on('end', resolve));
      for (let chunk = 1; chunk <= 5; chunk++) {
        expect(await waitFor(() => clock.waits(20) === chunk)).toBe(true);
        expect(await waitFor(() => contentChunksIn(text) === chunk - 1)).toBe(true);
        await vi.advanceTimersByTimeAsync(19);
        expect(contentChunksIn(text)).toBe(chunk - 1);
        await vi.advanceTimersByTimeAsync(1);
        expect(await waitFor(() => contentChunksIn(text) === chunk)).toBe(true);
      }
      await ended;
      expect(contentChunksIn(text)).toBe(5);
      expect(text.trim().endsWith('data: [DONE]')).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('drops an OpenAI chat stream after N chunks: the iteration raises', async () => {
    emulator.faults.dropAfterChunks = 3;
    const stream = await openaiClient(emulator).chat.completions.create({
      ...chatRequest,
      stream: true,
      stream_options: { include_usage: true },
    });
    const received: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(received.join('')).toBe('Lorem ipsum dolor');
  });

  it.each([
    ['a longer reply', {}],
    ['a reply of exactly N chunks (its final events held too)', { 'x-emulator-output-tokens': '2' }],
  ])(
    'stalls an OpenAI chat stream after N chunks until the client aborts, %s: the usage never comes',
    async (_, headers) => {
      const controller = new AbortController();
      const stream = await openaiClient(emulator, {
        ...headers,
        'x-emulator-stall-after-chunks': '2',
      }).chat.completions.create(
        { ...chatRequest, stream: true, stream_options: { include_usage: true } },
        { signal: controller.signal },
      );
      const chunks: { content: string; usage: unknown }[] = [];
      // The SDK ends the iteration on the abort (it does not throw): reaching the checks is the proof.
      for await (const chunk of stream) {
        chunks.push({ content: chunk.choices[0]?.delta.content ?? '', usage: chunk.usage ?? null });
        // The stream holds after its second content chunk: nothing more comes until the abort.
        if (chunks.filter((received) => received.content !== '').length === 2) controller.abort();
      }
      expect(chunks.map((chunk) => chunk.content).join('')).toBe('Lorem ipsum');
      expect(chunks.every((chunk) => chunk.usage === null)).toBe(true);
    },
  );

  it('drops a Responses stream: the SDK helper rejects', async () => {
    const client = openaiClient(emulator, { 'x-emulator-drop-after-chunks': '2' });
    const stream = client.responses.stream({ model: 'gpt-5-mini', input: 'hi' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    await expect(stream.finalResponse()).rejects.toBeInstanceOf(Error);
    expect(deltas).toEqual(['Lorem', ' ipsum']);
  });

  it('drops an Anthropic stream: the iteration raises after the streamed text', async () => {
    const client = anthropicClient(emulator, { 'x-emulator-drop-after-chunks': '4' });
    const stream = await client.messages.create({ ...anthropicRequest, stream: true });
    const texts: string[] = [];
    const failure = await (async () => {
      for await (const event of stream) {
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
          texts.push(event.delta.text);
      }
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(texts).toHaveLength(4);
  });

  it('drops a Mistral stream: the iteration raises', async () => {
    emulator.faults.dropAfterChunks = 0;
    const stream = await mistralClient(emulator).chat.stream(mistralRequest);
    await expect(collect(stream)).rejects.toBeInstanceOf(Error);
  });

  it('drops before the final usage even when N exceeds the streamed tokens', async () => {
    const client = openaiClient(emulator, {
      'x-emulator-drop-after-chunks': '100',
      'x-emulator-output-tokens': '2',
    });
    const stream = await client.chat.completions.create({
      ...chatRequest,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: unknown[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) chunks.push(chunk);
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(chunks).toHaveLength(3);
  });
});
