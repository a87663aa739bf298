import { BudgetExceededError } from '@tollgate/core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Harness, startHarness } from './testing/openai-test-harness';

const request = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content: 'Classify this ticket.' }],
  max_tokens: 1_000,
};

let calibration: Harness;
let harness: Harness;
let reservation: number;
beforeAll(async () => {
  // One call on a roomy budget tells what each call reserves.
  calibration = await startHarness();
  await calibration.client().chat.completions.create(request);
  reservation = (await calibration.recorded(1))[0]!.reserved;
  // A budget that affords 40.5 reservations: exactly 40 calls fit.
  harness = await startHarness([{ id: 'tight', limitUsd: (reservation * 40.5) / 1e9, period: 'month' }]);
});
afterAll(async () => {
  await calibration.close();
  await harness.close();
});

test('100 parallel calls on a budget that affords 40: 40 are admitted, the rest refused, nothing overspent', async () => {
  // The emulator holds every response until each call is waiting there or refused: every gate
  // runs before any call settles.
  const client = harness.client();
  const results = await harness.emulator.callTogether(100, () => client.chat.completions.create(request), {
    endpoint: 'chat.completions',
  });
  const admitted = results.filter((result) => result.status === 'fulfilled');
  const refused = results.filter((result) => result.status === 'rejected');
  expect(admitted).toHaveLength(40);
  expect(refused).toHaveLength(60);
  for (const result of refused)
    expect(BudgetExceededError.isInstance((result as PromiseRejectedResult).reason)).toBe(true);
  expect(harness.emulator.requests).toHaveLength(40);
  const records = await harness.recorded(40);
  expect(records).toHaveLength(40);
  expect(new Set(records.map((record) => record.requestId)).size).toBe(40);
  const [status] = await harness.budget.status();
  expect(status!.reservedNano).toBe(0);
  expect(status!.usedNano).toBe(records.reduce((sum, record) => sum + record.cost, 0));
  expect(status!.usedNano).toBeLessThanOrEqual(status!.limitNano);
});
