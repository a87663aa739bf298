import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './emulator.js';
import { anthropicClient, collect } from './sdk-test-clients.js';

describe('Anthropic messages', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  const model = 'claude-haiku-4-5';
  const request = {
    model,
    max_tokens: 1024,
    system: 'You are terse.',
    messages: [{ role: 'user' as const, content: 'Say hello to the budget tests.' }],
  };
  // ceil((14 + 29) / 4) + 4 * 2: the system prompt counts as a message.
  const inputTokens = 19;

  it('returns a message whose input_tokens exclude cache reads and writes', async () => {
    const client = anthropicClient(emulator, {
      'x-emulator-cached-tokens': '2000',
      'x-emulator-cache-write-tokens': '300',
      'x-emulator-cache-write-1h-tokens': '40',
    });
    const message = await client.messages.create(request);
    expect(message.type).toBe('message');
    expect(message.stop_reason).toBe('end_turn');
    expect(message.content).toEqual([{ type: 'text', text: expect.stringMatching(/^Lorem ipsum/) }]);
    expect(message.usage).toEqual({
      input_tokens: inputTokens,
      cache_creation_input_tokens: 340,
      cache_read_input_tokens: 2000,
      cache_creation: { ephemeral_5m_input_tokens: 300, ephemeral_1h_input_tokens: 40 },
      output_tokens: 64,
      service_tier: 'standard',
    });
  });

  it('stops at max_tokens with stop_reason max_tokens', async () => {
    const message = await anthropicClient(emulator).messages.create({ ...request, max_tokens: 3 });
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.content).toEqual([{ type: 'text', text: 'Lorem ipsum dolor' }]);
    expect(message.usage.output_tokens).toBe(3);
  });

  it('adds a thinking block and counts thinking as output', async () => {
    const client = anthropicClient(emulator, { 'x-emulator-output-tokens': '2' });
    const message = await client.messages.create({ ...request, thinking: { type: 'adaptive' } });
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'text']);
    expect(message.usage.output_tokens).toBe(32 + 2);
    expect(message.usage.output_tokens_details).toEqual({ thinking_tokens: 32 });
  });

  it('reports web search requests as server_tool_use', async () => {
    const client = anthropicClient(emulator, { 'x-emulator-web-search-requests': '3' });
    const message = await client.messages.create(request);
    expect(message.usage.server_tool_use).toEqual({ web_search_requests: 3, web_fetch_requests: 0 });
  });

  it('streams message_start, text deltas and a cumulative message_delta', async () => {
    const client = anthropicClient(emulator, {
      'x-emulator-output-tokens': '5',
      'x-emulator-cached-tokens': '100',
    });
    const events = await collect(await client.messages.create({ ...request, stream: true }));
    expect(events.map((event) => event.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const start = events[0];
    if (start?.type !== 'message_start') throw new Error('expected message_start');
    expect(start.message.usage).toMatchObject({
      input_tokens: inputTokens,
      cache_read_input_tokens: 100,
      output_tokens: 1,
    });
    const delta = events.at(-2);
    if (delta?.type !== 'message_delta') throw new Error('expected message_delta');
    expect(delta.delta.stop_reason).toBe('end_turn');
    expect(delta.usage).toEqual({
      input_tokens: inputTokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 100,
      output_tokens: 5,
    });
  });

  it('gives the SDK stream helper the cumulative output tokens, thinking included', async () => {
    const client = anthropicClient(emulator, {
      'x-emulator-reasoning-tokens': '7',
      'x-emulator-output-tokens': '4',
    });
    const stream = client.messages.stream({ ...request, thinking: { type: 'adaptive' } });
    const texts: string[] = [];
    const thoughts: string[] = [];
    stream.on('text', (text) => texts.push(text));
    stream.on('thinking', (thinking) => thoughts.push(thinking));
    const message = await stream.finalMessage();
    expect(texts.join('')).toBe('Lorem ipsum dolor sit');
    expect(thoughts).toHaveLength(7);
    expect(message.content[0]).toMatchObject({ type: 'thinking', signature: expect.any(String) });
    expect(message.usage.output_tokens).toBe(11);
    expect(message.usage.input_tokens).toBe(inputTokens);
  });

  it('streams the thinking block before the text block', async () => {
    const client = anthropicClient(emulator, {
      'x-emulator-reasoning-tokens': '2',
      'x-emulator-output-tokens': '1',
      'x-emulator-input-tokens': '500',
    });
    const events = await collect(await client.messages.create({ ...request, stream: true }));
    const summary = events.map((event) =>
      event.type === 'content_block_delta'
        ? `${event.index}:${event.delta.type}`
        : event.type === 'content_block_start'
          ? `${event.index}:start:${event.content_block.type}`
          : event.type,
    );
    expect(summary).toEqual([
      'message_start',
      '0:start:thinking',
      '0:thinking_delta',
      '0:thinking_delta',
      '0:signature_delta',
      'content_block_stop',
      '1:start:text',
      '1:text_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const delta = events.at(-2);
    if (delta?.type !== 'message_delta') throw new Error('expected message_delta');
    expect(delta.usage).toMatchObject({
      input_tokens: 500,
      output_tokens: 3,
      output_tokens_details: { thinking_tokens: 2 },
    });
  });

  it('leaves out message_delta when the omit-usage fault is on', async () => {
    emulator.faults.omitUsage = true;
    const stream = anthropicClient(emulator).messages.stream(request);
    const message = await stream.finalMessage();
    expect(message.stop_reason).toBeNull();
    expect(message.usage.output_tokens).toBe(1);
  });

  it('counts tokens with the same formula', async () => {
    const client = anthropicClient(emulator);
    const count = await client.messages.countTokens({
      model,
      system: request.system,
      messages: request.messages,
    });
    expect(count).toEqual({ input_tokens: inputTokens });
    const tools = [{ name: 'lookup', input_schema: { type: 'object' as const } }];
    const withTools = await client.messages.countTokens({ model, messages: request.messages, tools });
    expect(withTools.input_tokens).toBe(Math.ceil((29 + JSON.stringify(tools).length) / 4) + 4);
  });

  it('counts content blocks, tool use input and tool results', async () => {
    const count = await anthropicClient(emulator).messages.countTokens({
      model,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'abcd' }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: { a: 1 } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'done' }] },
      ],
    });
    expect(count.input_tokens).toBe(Math.ceil((4 + '{"a":1}'.length + 4) / 4) + 12);
  });

  it('rejects a request without max_tokens in the Anthropic error shape', async () => {
    const response = await fetch(`${emulator.anthropicBaseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [] }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('request-id')).toBeTruthy();
    expect(await response.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
    });
  });
});
