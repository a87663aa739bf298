import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './emulator.js';
import { collect, openaiClient } from './sdk-test-clients.js';

describe('OpenAI chat completions', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  const messages = [
    { role: 'system' as const, content: 'You are terse.' },
    { role: 'user' as const, content: 'Say hello to the budget tests.' },
  ];
  // ceil((14 + 29) / 4) + 4 * 2
  const promptTokens = 19;

  it('returns a completion with deterministic usage', async () => {
    const client = openaiClient(emulator);
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gpt-4o-mini');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.choices[0]?.message.content?.startsWith('Lorem ipsum dolor')).toBe(true);
    expect(completion.usage).toEqual({
      prompt_tokens: promptTokens,
      completion_tokens: 64,
      total_tokens: promptTokens + 64,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    });
  });

  it('caps the output at max_completion_tokens and reports finish_reason length', async () => {
    const client = openaiClient(emulator);
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      max_completion_tokens: 5,
    });
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.choices[0]?.message.content).toBe('Lorem ipsum dolor sit amet,');
    expect(completion.usage?.completion_tokens).toBe(5);
  });

  it('reflects cached, cache-write, reasoning and output headers', async () => {
    const client = openaiClient(emulator, {
      'x-emulator-cached-tokens': '100',
      'x-emulator-cache-write-tokens': '7',
      'x-emulator-reasoning-tokens': '30',
      'x-emulator-output-tokens': '3',
    });
    const completion = await client.chat.completions.create({ model: 'o4-mini', messages });
    expect(completion.choices[0]?.message.content).toBe('Lorem ipsum dolor');
    expect(completion.usage?.prompt_tokens).toBe(promptTokens + 100 + 7);
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(100);
    expect(completion.usage?.prompt_tokens_details?.cache_write_tokens).toBe(7);
    expect(completion.usage?.completion_tokens).toBe(33);
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(30);
    expect(completion.usage?.total_tokens).toBe(promptTokens + 107 + 33);
  });

  it('defaults reasoning tokens when reasoning_effort is set', async () => {
    const completion = await openaiClient(emulator).chat.completions.create({
      model: 'o4-mini',
      messages,
      reasoning_effort: 'low',
    });
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(32);
    expect(completion.usage?.completion_tokens).toBe(96);
  });

  it('multiplies the output by n', async () => {
    const completion = await openaiClient(emulator).chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      n: 3,
      max_tokens: 4,
    });
    expect(completion.choices.map((choice) => choice.index)).toEqual([0, 1, 2]);
    expect(completion.usage?.completion_tokens).toBe(12);
  });

  it('counts tool definitions and tool-call arguments', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: { name: 'lookup', parameters: { type: 'object', properties: {} } },
      },
    ];
    const withTools = await openaiClient(emulator).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: 'abcd' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'result' },
      ],
      tools,
    });
    const characters = 4 + '{"q":"x"}'.length + 'result'.length + JSON.stringify(tools).length;
    expect(withTools.usage?.prompt_tokens).toBe(Math.ceil(characters / 4) + 12);
  });

  it('streams one chunk per token without usage unless include_usage is set', async () => {
    const client = openaiClient(emulator, { 'x-emulator-output-tokens': '6' });
    const chunks = await collect(
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }),
    );
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const contentChunks = chunks.filter((chunk) => chunk.choices[0]?.delta.content);
    expect(contentChunks).toHaveLength(6);
    expect(contentChunks.map((chunk) => chunk.choices[0]?.delta.content).join('')).toBe(
      'Lorem ipsum dolor sit amet, consectetur',
    );
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.every((chunk) => chunk.usage === undefined)).toBe(true);
  });

  it('streams a final usage chunk with empty choices when include_usage is true', async () => {
    const client = openaiClient(emulator, { 'x-emulator-cached-tokens': '10' });
    const chunks = await collect(
      await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages,
        max_tokens: 4,
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage?.prompt_tokens).toBe(promptTokens + 10);
    expect(last.usage?.prompt_tokens_details?.cached_tokens).toBe(10);
    expect(last.usage?.completion_tokens).toBe(4);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('length');
  });

  it('omits the usage chunk when the omit-usage fault is on', async () => {
    emulator.faults.omitUsage = true;
    const chunks = await collect(
      await openaiClient(emulator).chat.completions.create({
        model: 'gpt-4o-mini',
        messages,
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
  });

  it('accumulates a stream with the SDK helper', async () => {
    const stream = openaiClient(emulator).chat.completions.stream({
      model: 'gpt-4o-mini',
      messages,
      max_tokens: 3,
      stream_options: { include_usage: true },
    });
    const completion = await stream.finalChatCompletion();
    expect(completion.choices[0]?.message.content).toBe('Lorem ipsum dolor');
    expect(completion.usage?.completion_tokens).toBe(3);
  });

  it('rejects a request without messages in the OpenAI error shape', async () => {
    const response = await fetch(`${emulator.openaiBaseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        message: "'messages' is a required array.",
        type: 'invalid_request_error',
        param: 'messages',
        code: null,
      },
    });
  });
});
