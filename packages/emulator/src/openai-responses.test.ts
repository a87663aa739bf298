import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './emulator.js';
import { collect, openaiClient } from './sdk-test-clients.js';

describe('OpenAI responses', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  // 'Summarize the budget.' is 21 characters and 'Be brief.' 9: ceil(30 / 4) + 4 * 2
  const request = { model: 'gpt-5-mini', input: 'Summarize the budget.', instructions: 'Be brief.' };
  const inputTokens = 16;

  it('returns a response with output_text and usage', async () => {
    const response = await openaiClient(emulator).responses.create({ ...request, max_output_tokens: 100 });
    expect(response.object).toBe('response');
    expect(response.status).toBe('completed');
    expect(response.output_text.split(' ')).toHaveLength(64);
    expect(response.usage).toEqual({
      input_tokens: inputTokens,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: 64,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: inputTokens + 64,
    });
  });

  it('reports cached and reasoning tokens and adds a reasoning item', async () => {
    const client = openaiClient(emulator, {
      'x-emulator-cached-tokens': '1024',
      'x-emulator-reasoning-tokens': '50',
      'x-emulator-output-tokens': '2',
    });
    const response = await client.responses.create(request);
    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    expect(response.output_text).toBe('Lorem ipsum');
    expect(response.usage?.input_tokens).toBe(inputTokens + 1024);
    expect(response.usage?.input_tokens_details.cached_tokens).toBe(1024);
    expect(response.usage?.output_tokens).toBe(52);
    expect(response.usage?.output_tokens_details.reasoning_tokens).toBe(50);
  });

  it('ends incomplete when max_output_tokens cuts the reply', async () => {
    const response = await openaiClient(emulator).responses.create({ ...request, max_output_tokens: 16 });
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(response.usage?.output_tokens).toBe(16);
  });

  it('streams created, text deltas and completed with the usage', async () => {
    const client = openaiClient(emulator, {
      'x-emulator-output-tokens': '5',
      'x-emulator-cached-tokens': '8',
    });
    const events = await collect(await client.responses.create({ ...request, stream: true }));
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(types.filter((type) => type === 'response.output_text.delta')).toHaveLength(5);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const completed = events.at(-1);
    if (completed?.type !== 'response.completed') throw new Error('expected response.completed');
    expect(completed.response.usage).toMatchObject({
      input_tokens: inputTokens + 8,
      input_tokens_details: { cached_tokens: 8 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 0 },
    });
  });

  it('works with the SDK stream helper, reasoning included', async () => {
    const client = openaiClient(emulator, {
      'x-emulator-reasoning-tokens': '12',
      'x-emulator-output-tokens': '4',
    });
    const stream = client.responses.stream({ ...request, reasoning: { effort: 'low' } });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const response = await stream.finalResponse();
    expect(deltas).toEqual(['Lorem', ' ipsum', ' dolor', ' sit']);
    expect(response.output_text).toBe('Lorem ipsum dolor sit');
    expect(response.usage?.output_tokens).toBe(16);
    expect(response.usage?.output_tokens_details.reasoning_tokens).toBe(12);
  });

  it('streams response.incomplete when the limit cuts the reply', async () => {
    const events = await collect(
      await openaiClient(emulator).responses.create({ ...request, max_output_tokens: 16, stream: true }),
    );
    const last = events.at(-1);
    if (last?.type !== 'response.incomplete') throw new Error('expected response.incomplete');
    expect(last.response.usage?.output_tokens).toBe(16);
  });

  it('leaves the usage out of response.completed when the omit-usage fault is on', async () => {
    const client = openaiClient(emulator, { 'x-emulator-omit-usage': 'true' });
    const events = await collect(await client.responses.create({ ...request, stream: true }));
    const completed = events.at(-1);
    if (completed?.type !== 'response.completed') throw new Error('expected response.completed');
    expect(completed.response.usage ?? null).toBeNull();
  });

  it('counts message items with content parts', async () => {
    const response = await openaiClient(emulator).responses.create({
      model: 'gpt-5-mini',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: '12345678' }] },
        { role: 'assistant', content: 'abcd' },
      ],
    });
    expect(response.usage?.input_tokens).toBe(3 + 8);
  });
});
