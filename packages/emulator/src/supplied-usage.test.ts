import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './emulator.js';
import { anthropicClient, collect, mistralClient, openaiClient } from './sdk-test-clients.js';

const messages = [{ role: 'user' as const, content: 'Say hello to the budget tests.' }];
// What a JSON parse and a `JSON.stringify` would lose: an infinite count, a string, a fraction.
const malformed =
  '{"prompt_tokens":1e400,"completion_tokens":"abc","prompt_tokens_details":{"cached_tokens":2.5}}';

describe('a supplied usage block', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  it('is sent as it is in a JSON response, numbers as written', async () => {
    const response = await fetch(`${emulator.openaiBaseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-emulator-usage-json': malformed },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages }),
    });
    const text = await response.text();
    expect(text).toContain(`"usage":${malformed}`);
    expect(JSON.parse(text).choices[0].message.content).toMatch(/^Lorem ipsum/);
  });

  it('reaches each SDK as the usage of a JSON response', async () => {
    const headers = { 'x-emulator-usage-json': '[1,2,3]' };
    const completion = await openaiClient(emulator, headers).chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
    });
    expect(completion.usage).toEqual([1, 2, 3]);
    const response = await openaiClient(emulator, {
      'x-emulator-usage-json': '{"input_tokens":-5}',
    }).responses.create({
      model: 'gpt-4o-mini',
      input: 'Hello',
    });
    expect(response.usage).toEqual({ input_tokens: -5 });
    const message = await anthropicClient(emulator, {
      'x-emulator-usage-json': '{"input_tokens":1e400,"output_tokens":3}',
    }).messages.create({ model: 'claude-haiku-4-5', max_tokens: 100, messages });
    expect(message.usage).toEqual({ input_tokens: Number.POSITIVE_INFINITY, output_tokens: 3 });
    const reply = await mistralClient(emulator).chat.complete(
      { model: 'mistral-small-latest', messages },
      { headers: { 'x-emulator-usage-json': '{"prompt_tokens":-7,"completion_tokens":2}' } },
    );
    expect(reply.usage).toMatchObject({ promptTokens: -7, completionTokens: 2 });
  });

  it('replaces the final usage of an OpenAI stream, with an early and a late usage chunk around the content', async () => {
    const stream = await openaiClient(emulator, {
      'x-emulator-output-tokens': '2',
      'x-emulator-usage-json': '{"prompt_tokens":-1}',
      'x-emulator-early-usage-json': '{"prompt_tokens":5}',
      'x-emulator-late-usage-json': '"late"',
    }).chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collect(stream);
    const shape = chunks.map((chunk) =>
      chunk.choices.length === 0 ? { usage: chunk.usage } : (chunk.choices[0]?.delta.content ?? null),
    );
    expect(shape).toEqual([
      '',
      { usage: { prompt_tokens: 5 } },
      'Lorem',
      ' ipsum',
      null,
      { usage: { prompt_tokens: -1 } },
      { usage: 'late' },
    ]);
  });

  it('replaces the usages of an Anthropic stream and adds message_delta events before and after the content', async () => {
    const stream = await anthropicClient(emulator, {
      'x-emulator-output-tokens': '1',
      'x-emulator-start-usage-json': '{"input_tokens":"abc"}',
      'x-emulator-early-usage-json': '{"output_tokens":500}',
      'x-emulator-usage-json': '{"output_tokens":64}',
      'x-emulator-late-usage-json': '{"output_tokens":10}',
    }).messages.create({ model: 'claude-haiku-4-5', max_tokens: 100, messages, stream: true });
    const events = await collect(stream);
    expect(events.map((event) => event.type)).toEqual([
      'message_start',
      'message_delta',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_delta',
      'message_stop',
    ]);
    const start = events[0] as { message: { usage: unknown } };
    expect(start.message.usage).toEqual({ input_tokens: 'abc' });
    const usages = events.flatMap((event) => (event.type === 'message_delta' ? [event.usage] : []));
    expect(usages).toEqual([{ output_tokens: 500 }, { output_tokens: 64 }, { output_tokens: 10 }]);
  });

  it('replaces the usage of a Mistral stream, with an early usage on the role chunk and a late chunk', async () => {
    const stream = await mistralClient(emulator).chat.stream(
      { model: 'mistral-small-latest', messages },
      {
        headers: {
          'x-emulator-output-tokens': '1',
          'x-emulator-usage-json':
            '{"prompt_tokens":3,"completion_tokens":1,"prompt_tokens_details":{"cached_tokens":9}}',
          'x-emulator-early-usage-json': '{"prompt_tokens":4}',
          'x-emulator-late-usage-json': '{"prompt_tokens":2}',
        },
      },
    );
    const chunks = (await collect(stream)).map((event) => event.data);
    expect(chunks.map((chunk) => [chunk.choices.length, chunk.usage?.promptTokens])).toEqual([
      [1, 4],
      [1, undefined],
      [1, 3],
      [0, 2],
    ]);
    expect(chunks[2]?.usage).toMatchObject({ prompt_tokens_details: { cached_tokens: 9 } });
  });

  it('replaces the usage of a Responses stream’s final event', async () => {
    const stream = await openaiClient(emulator, { 'x-emulator-usage-json': 'null' }).responses.create({
      model: 'gpt-4o-mini',
      input: 'Hello',
      stream: true,
    });
    const events = await collect(stream);
    const final = events.at(-1) as { type: string; response: { usage: unknown } };
    expect(final.type).toBe('response.completed');
    expect(final.response.usage).toBeNull();
  });

  it('can be set for every later request, and reset() clears it', async () => {
    emulator.usage.usageJson = '{"completion_tokens":-3}';
    const client = openaiClient(emulator);
    const first = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(first.usage).toEqual({ completion_tokens: -3 });
    emulator.reset();
    const second = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(second.usage?.completion_tokens).toBe(64);
  });

  it('answers 400 to a supplied usage that is not JSON', async () => {
    const client = openaiClient(emulator, { 'x-emulator-usage-json': '{"prompt_tokens":' });
    await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('x-emulator-usage-json'),
    });
  });
});
