import { afterAll, beforeAll, expect, test } from 'vitest';
import { collect, GPT_4O_MINI, type Harness, startHarness } from './testing/openai-test-harness';

// The app's code does not change with leases: the same wrapped client, plain and streamed calls,
// gated from a lease and recorded behind it, each at the provider's own usage.

let harness: Harness;
const reservations: string[] = [];
beforeAll(async () => {
  harness = await startHarness(undefined, { leases: { instanceId: 'api-1' } });
  const reserve = harness.store.reserve.bind(harness.store);
  harness.store.reserve = (request) => {
    reservations.push(request.reservationId);
    return reserve(request);
  };
});
afterAll(() => harness.close());

const headers = { 'x-emulator-input-tokens': '1000', 'x-emulator-output-tokens': '50' };
const request = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content: 'Hello' }],
  max_tokens: 100,
};
const COST = 1_000 * GPT_4O_MINI.input + 50 * GPT_4O_MINI.output;

test('a wrapped client on a budget with leases: calls and streams gated from leases, each recorded at its usage', async () => {
  const client = harness.client();
  const completions = await Promise.all(
    Array.from({ length: 20 }, () => client.chat.completions.create(request, { headers })),
  );
  const chunks = await collect(
    await client.chat.completions.create(
      { ...request, stream: true, stream_options: { include_usage: true } },
      { headers },
    ),
  );
  expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 1_000, completion_tokens: 50 });
  // Every call was admitted from a lease: no reservation of its own reached the store.
  expect(reservations.length).toBeGreaterThan(0);
  expect(reservations.every((id) => id.startsWith('lease~api-1~'))).toBe(true);

  expect(await harness.budget.flushUsage()).toBe(0);
  const recorded = harness.store.committed;
  expect(recorded).toHaveLength(21);
  expect(new Set(recorded.map((record) => record.requestId))).toEqual(
    new Set([...completions.map((completion) => completion.id), chunks[0]!.id]),
  );
  expect(recorded.every((record) => record.cost === COST && !record.estimated)).toBe(true);
  const [status] = await harness.budget.status();
  await harness.budget.close();
  const key = { budgetId: 'test', scope: 'global', period: status!.periodKey };
  // close() gave the lease back.
  expect(await harness.store.readCounters([key], Date.now())).toEqual([
    { ...key, committed: 21 * COST, reserved: 0 },
  ]);
});
