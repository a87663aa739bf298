import { APIError as AnthropicAPIError, RateLimitError as AnthropicRateLimitError } from '@anthropic-ai/sdk';
import { MistralError } from '@mistralai/mistralai/models/errors';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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

  it('fails one request through the error header', async () => {
    const client = openaiClient(emulator);
    await expect(
      client.chat.completions.create(chatRequest, {
        headers: { 'x-emulator-error-status': '429', 'x-emulator-error-message': 'quota' },
      }),
    ).rejects.toMatchObject({ status: 429, message: expect.stringContaining('quota') });
    await expect(client.chat.completions.create(chatRequest)).resolves.toBeTruthy();
  });

  it('delays the response by the latency', async () => {
    emulator.faults.latencyMs = 150;
    emulator.faults.chunkDelayMs = 0;
    const started = performance.now();
    await openaiClient(emulator).chat.completions.create(chatRequest);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('delays each stream chunk', async () => {
    const client = openaiClient(emulator, {
      'x-emulator-chunk-delay-ms': '20',
      'x-emulator-output-tokens': '5',
    });
    const started = performance.now();
    await collect(await client.chat.completions.create({ ...chatRequest, stream: true }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
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
