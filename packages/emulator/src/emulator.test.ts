import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './emulator.js';
import { anthropicClient, collect, mistralClient, openaiClient } from './sdk-test-clients.js';

const chatRequest = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };

/** The socket of a keep-alive connection that has had one response and now waits, idle. */
function idleKeepAliveSocket(emulator: Emulator): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${emulator.url}/`, { headers: { connection: 'keep-alive' } }, (response) => {
      response.resume();
      response.on('end', () => resolve(request.socket!));
    });
    request.on('error', reject);
    request.end();
  });
}

async function waitUntilRecorded(emulator: Emulator, requests: number): Promise<void> {
  while (emulator.requests.length < requests) await new Promise((resolve) => setImmediate(resolve));
}

describe('startEmulator', () => {
  const started: Emulator[] = [];
  const start = async (...args: Parameters<typeof startEmulator>) => {
    const emulator = await startEmulator(...args);
    started.push(emulator);
    return emulator;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((emulator) => emulator.close()));
  });

  it('listens on an ephemeral 127.0.0.1 port with distinct base URLs per provider', async () => {
    const emulator = await start();
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.port).toBeGreaterThan(0);
    expect(emulator.openaiBaseURL).toBe(`${emulator.url}/v1`);
    expect(emulator.anthropicBaseURL).toBe(`${emulator.url}/anthropic`);
    expect(emulator.mistralServerURL).toBe(`${emulator.url}/mistral`);
    expect(emulator.geminiBaseURL).toBe(`${emulator.url}/gemini`);
    const index = (await (await fetch(emulator.url + '/')).json()) as { endpoints: unknown[] };
    // 12 OpenAI, Anthropic and Mistral endpoints, 5 Gemini model methods.
    expect(index.endpoints).toHaveLength(17);
  });

  it('records requests with parsed bodies and without credential values', async () => {
    const emulator = await start();
    await openaiClient(emulator).chat.completions.create(chatRequest);
    await anthropicClient(emulator).messages.create({
      ...chatRequest,
      model: 'claude-haiku-4-5',
      max_tokens: 5,
    });
    await mistralClient(emulator).chat.complete({ ...chatRequest, model: 'mistral-small-latest' });
    expect(
      emulator.requests.map(({ provider, endpoint, method, path }) => ({ provider, endpoint, method, path })),
    ).toEqual([
      { provider: 'openai', endpoint: 'chat.completions', method: 'POST', path: '/v1/chat/completions' },
      { provider: 'anthropic', endpoint: 'messages', method: 'POST', path: '/anthropic/v1/messages' },
      {
        provider: 'mistral',
        endpoint: 'chat.completions',
        method: 'POST',
        path: '/mistral/v1/chat/completions',
      },
    ]);
    const [openai, anthropic, mistral] = emulator.requests;
    expect(openai?.body).toEqual(chatRequest);
    expect(openai?.headers.authorization).toBe('[redacted]');
    expect(anthropic?.headers.authorization ?? anthropic?.headers['x-api-key']).toBe('[redacted]');
    expect(mistral?.headers.authorization).toBe('[redacted]');
    expect(JSON.stringify(emulator.requests)).not.toMatch(/test-key/);
    expect(openai?.status).toBe(200);
    expect(typeof openai?.time).toBe('number');

    await fetch(`${emulator.anthropicBaseURL}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-ant-raw-secret', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-haiku-4-5', messages: [] }),
    });
    expect(emulator.requests.at(-1)?.headers['x-api-key']).toBe('[redacted]');
    expect(emulator.requests.at(-1)?.headers['content-type']).toBe('application/json');
  });

  it('takes usage and fault defaults from the options and restores them on reset', async () => {
    const emulator = await start({
      usage: { cachedTokens: 5, defaultOutputTokens: 3 },
      faults: { omitUsage: true },
      ids: 'sequential',
    });
    const client = openaiClient(emulator);
    const first = await client.chat.completions.create(chatRequest);
    expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(5);
    expect(first.usage?.completion_tokens).toBe(3);
    expect(first.id).toBe('chatcmpl-emulator000001');

    emulator.usage.cachedTokens = 50;
    emulator.usage.reasoningTokens = 9;
    emulator.faults.latencyMs = 10;
    const second = await client.chat.completions.create(chatRequest);
    expect(second.usage?.prompt_tokens_details?.cached_tokens).toBe(50);
    expect(second.usage?.completion_tokens_details?.reasoning_tokens).toBe(9);

    emulator.reset();
    expect(emulator.requests).toEqual([]);
    expect(emulator.usage).toEqual({ defaultOutputTokens: 3, defaultReasoningTokens: 32, cachedTokens: 5 });
    expect(emulator.faults).toEqual({
      latencyMs: 0,
      chunkDelayMs: null,
      error: null,
      dropAfterChunks: null,
      omitUsage: true,
    });
    const third = await client.chat.completions.create(chatRequest);
    expect(third.id).toBe('chatcmpl-emulator000001');
  });

  it('gives ids no other start of the emulator gives, unless asked for sequential ones', async () => {
    const ids = async (options: Parameters<typeof startEmulator>[0]) => {
      const emulator = await start(options);
      const client = openaiClient(emulator);
      const first = await client.chat.completions.create(chatRequest);
      const second = await client.chat.completions.create(chatRequest);
      await emulator.close();
      return [first.id, second.id];
    };
    const [one, two] = [await ids({}), await ids({ ids: 'unique' })];
    expect(new Set([...one!, ...two!]).size).toBe(4);
    expect(one![0]).toMatch(/^chatcmpl-emulator-[0-9a-f]{8}-000001$/);
    expect(one![1]).toMatch(/^chatcmpl-emulator-[0-9a-f]{8}-000002$/);
    expect(await ids({ ids: 'sequential' })).toEqual(await ids({ ids: 'sequential' }));
    await expect(startEmulator({ ids: 'random' as never })).rejects.toThrow(/'unique' or 'sequential'/);
  });

  it('answers unknown paths with 404 in the shape of the prefix', async () => {
    const emulator = await start();
    const openai = await fetch(`${emulator.url}/v1/models/unknown`, { method: 'POST' });
    expect(openai.status).toBe(404);
    expect(await openai.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    const anthropic = await fetch(`${emulator.url}/anthropic/v1/unknown`, { method: 'POST' });
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    const mistral = await fetch(`${emulator.url}/mistral/v1/unknown`, { method: 'POST' });
    expect(await mistral.json()).toMatchObject({ object: 'error', type: 'not_found' });
    const wrongMethod = await fetch(`${emulator.url}/v1/chat/completions`);
    expect(wrongMethod.status).toBe(405);
  });

  it('rejects invalid JSON and malformed emulator headers with 400', async () => {
    const emulator = await start();
    const invalid = await fetch(`${emulator.openaiBaseURL}/chat/completions`, { method: 'POST', body: '{' });
    expect(invalid.status).toBe(400);
    await expect(
      openaiClient(emulator, { 'x-emulator-cached-tokens': 'many' }).chat.completions.create(chatRequest),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('x-emulator-cached-tokens') });
  });

  it('refuses bodies over maxBodyBytes with 413', async () => {
    const emulator = await start({ maxBodyBytes: 100 });
    const response = await fetch(`${emulator.openaiBaseURL}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ ...chatRequest, padding: 'x'.repeat(200) }),
    });
    expect(response.status).toBe(413);
  });

  it('serves concurrent streams independently', async () => {
    const emulator = await start({ faults: { chunkDelayMs: 2 } });
    const client = openaiClient(emulator);
    const streams = await Promise.all(
      [3, 5, 7].map(async (tokens) =>
        collect(
          await client.chat.completions.create(
            { ...chatRequest, stream: true },
            { headers: { 'x-emulator-output-tokens': String(tokens) } },
          ),
        ),
      ),
    );
    expect(streams.map((chunks) => chunks.filter((chunk) => chunk.choices[0]?.delta.content).length)).toEqual(
      [3, 5, 7],
    );
  });

  it('stops streaming when the client breaks out of the iteration', async () => {
    const emulator = await start({ faults: { chunkDelayMs: 5 } });
    const client = openaiClient(emulator);
    const stream = await client.chat.completions.create({ ...chatRequest, stream: true });
    let received = 0;
    for await (const _chunk of stream) {
      received += 1;
      if (received === 3) break;
    }
    expect(received).toBe(3);
    const completion = await client.chat.completions.create(chatRequest);
    expect(completion.usage?.completion_tokens).toBe(64);
  });

  it('closes with idle keep-alive connections open, ending them, and close is idempotent', async () => {
    const emulator = await startEmulator();
    const client = openaiClient(emulator);
    await client.chat.completions.create(chatRequest);
    await anthropicClient(emulator).messages.create({
      ...chatRequest,
      model: 'claude-haiku-4-5',
      max_tokens: 5,
    });
    const idle = await idleKeepAliveSocket(emulator);
    const idleClosed = once(idle, 'close');
    await emulator.close();
    await emulator.close();
    // The server ended the connection the client kept open.
    await idleClosed;
    await expect(client.chat.completions.create(chatRequest)).rejects.toBeInstanceOf(Error);
  });

  // A close that waited for the streams or requests in flight would not resolve: the stream's next
  // chunk is due in an hour, and Node waits up to 5 minutes for a request's body.
  it('closes while a stream is in flight, ending it', async () => {
    const emulator = await startEmulator({ faults: { chunkDelayMs: 3_600_000 } });
    const stream = await openaiClient(emulator).chat.completions.create({ ...chatRequest, stream: true });
    const consumed = collect(stream).catch((error: unknown) => error);
    await emulator.close();
    expect(await consumed).toBeInstanceOf(Error);
  });

  it('closes while a client is still sending its request, ending the connection', async () => {
    const emulator = await startEmulator();
    const socket = connect({ host: '127.0.0.1', port: emulator.port });
    socket.on('error', () => {});
    const closed = once(socket, 'close');
    socket.write(
      'POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"model":',
    );
    // The request has reached the emulator, which now waits for the rest of its body.
    await waitUntilRecorded(emulator, 1);
    await emulator.close();
    await closed;
  });
});
