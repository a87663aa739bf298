import { APIPromise } from 'openai';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { GPT_4O_MINI, type Harness, startHarness } from './testing/openai-test-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.store.committed.length = 0;
});

const request = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };
const headers = { 'x-emulator-input-tokens': '100', 'x-emulator-output-tokens': '10' };
const expectedCost = 100 * GPT_4O_MINI.input + 10 * GPT_4O_MINI.output;

test('create() returns the SDK APIPromise; the result keeps its _request_id', async () => {
  const pending = harness.client().chat.completions.create(request, { headers });
  expect(pending).toBeInstanceOf(APIPromise);
  const completion = await pending;
  expect(completion._request_id).toMatch(/^req_/);
  expect((await harness.recorded(1))[0]).toMatchObject({ cost: expectedCost });
});

test('withResponse() gives the data, the raw response and the request id, recorded once', async () => {
  const { data, response, request_id } = await harness
    .client()
    .chat.completions.create(request, { headers })
    .withResponse();
  expect(response.status).toBe(200);
  expect(request_id).toMatch(/^req_/);
  const [record] = await harness.recorded(1);
  expect(record).toMatchObject({ requestId: data.id, cost: expectedCost });
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(harness.store.committed).toHaveLength(1);
});

test('asResponse() hands over the raw response unread; the call is settled from a copy', async () => {
  const response = await harness.client().chat.completions.create(request, { headers }).asResponse();
  const body = (await response.json()) as { id: string };
  const [record] = await harness.recorded(1);
  expect(record).toMatchObject({ requestId: body.id, cost: expectedCost, estimated: false });
  expect(await harness.reserved()).toBe(0);
});

test('asResponse() on a stream: the raw SSE body, settled from a copy', async () => {
  const response = await harness
    .client()
    .chat.completions.create({ ...request, stream: true }, { headers })
    .asResponse();
  const text = await response.text();
  expect(text).toContain('data: [DONE]');
  const [record] = await harness.recorded(1);
  expect(record).toMatchObject({ cost: expectedCost, estimated: false });
});

test('chat.completions.parse() goes through the gate', async () => {
  const parsed = await harness.client().chat.completions.parse(request, { headers });
  expect(parsed.choices[0]!.message.parsed).toBeNull();
  expect((await harness.recorded(1))[0]).toMatchObject({ requestId: parsed.id, cost: expectedCost });
});
