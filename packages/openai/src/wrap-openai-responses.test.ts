import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { collect, GPT_4O_MINI, type Harness, startHarness } from './testing/openai-test-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.store.committed.length = 0;
});

const headers = {
  'x-emulator-input-tokens': '800',
  'x-emulator-cached-tokens': '400',
  'x-emulator-output-tokens': '30',
  'x-emulator-reasoning-tokens': '70',
};
// input_tokens = 1,200 (400 cached), output_tokens = 100 (70 reasoning).
const expectedCost = 800 * GPT_4O_MINI.input + 400 * GPT_4O_MINI.cachedInput + 100 * GPT_4O_MINI.output;

function comparable(events: ResponseStreamEvent[]) {
  return JSON.parse(
    JSON.stringify(events)
      .replace(/(resp|msg|rs)_emulator[\w-]+/g, 'ID')
      .replace(/"(created_at|completed_at)":\d+/g, '"$1":0'),
  );
}

describe('responses.create', () => {
  test('records the exact cost and the response id', async () => {
    const response = await harness
      .client()
      .responses.create(
        { model: 'gpt-4o-mini', input: 'Write a haiku.', instructions: 'Be brief.' },
        { headers },
      );
    expect(response.usage).toMatchObject({ input_tokens: 1_200, output_tokens: 100 });
    const [record] = await harness.recorded(1);
    expect(record).toMatchObject({
      requestId: response.id,
      cost: expectedCost,
      estimated: false,
      cacheReadTokens: 400,
      reasoningTokens: 70,
    });
    expect(response.id).toMatch(/^resp_/);
    expect(await harness.reserved()).toBe(0);
  });

  test('a stream is settled from response.completed, and the caller sees every event', async () => {
    const request = { model: 'gpt-4o-mini', input: 'Write a haiku.', stream: true as const };
    const bare = await collect(await harness.bareClient().responses.create(request, { headers }));
    const wrapped = await collect(await harness.client().responses.create(request, { headers }));
    expect(comparable(wrapped)).toEqual(comparable(bare));
    const completed = wrapped.find((event) => event.type === 'response.completed');
    const [record] = await harness.recorded(1);
    expect(record).toMatchObject({ cost: expectedCost, estimated: false });
    expect(completed?.type === 'response.completed' && record!.requestId === completed.response.id).toBe(
      true,
    );
  });

  test('an abandoned stream is settled as estimated from the input and the deltas received', async () => {
    const stream = await harness
      .client()
      .responses.create(
        { model: 'gpt-4o-mini', input: 'Write a long story.', stream: true },
        { headers: { 'x-emulator-output-tokens': '300' } },
      );
    let deltas = 0;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') deltas += 1;
      if (deltas === 8) break;
    }
    const [record] = await harness.recorded(1);
    expect(record!.estimated).toBe(true);
    expect(record!.requestId).toMatch(/^resp_/);
    expect(record!.outputTokens).toBeGreaterThanOrEqual(8);
    expect(record!.cost).toBe(
      record!.inputTokens * GPT_4O_MINI.input + record!.outputTokens * GPT_4O_MINI.output,
    );
    expect(await harness.reserved()).toBe(0);
  });

  test('the responses.stream() helper is gated and recorded', async () => {
    const runner = harness
      .client()
      .responses.stream({ model: 'gpt-4o-mini', input: 'Write a haiku.' }, { headers });
    const final = await runner.finalResponse();
    const [record] = await harness.recorded(1);
    expect(record).toMatchObject({ requestId: final.id, cost: expectedCost, estimated: false });
  });

  test('responses.parse() goes through the gate', async () => {
    const parsed = await harness
      .client()
      .responses.parse({ model: 'gpt-4o-mini', input: 'Write a haiku.' }, { headers });
    expect(parsed.output_text.length).toBeGreaterThan(0);
    const [record] = await harness.recorded(1);
    expect(record).toMatchObject({ requestId: parsed.id, cost: expectedCost });
  });
});
