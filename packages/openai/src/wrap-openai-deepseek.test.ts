import { afterAll, expect, test } from 'vitest';
import { fetchToEmulator } from './testing/fetch-to-emulator';
import { type Harness, startHarness } from './testing/openai-test-harness';

/**
 * DeepSeek prices by the time of day (api-docs.deepseek.com/quick_start/pricing, as the bundled
 * @pydantic/genai-prices 0.1.8 data has them): deepseek-chat and deepseek-reasoner at their
 * standard price from 00:30 to 16:30 UTC and at the off-peak price otherwise; deepseek-v4-flash
 * (since 2026-08-17) at its peak price from 01:00 to 04:00 and 06:00 to 10:00 UTC. The budget's
 * clock says when each call is made. USD per million tokens, 1,000 input and 100 output tokens.
 */
const baseURL = 'https://api.deepseek.com';
const headers = { 'x-emulator-input-tokens': '1000', 'x-emulator-output-tokens': '100' };
const messages = [{ role: 'user' as const, content: 'hi' }];
const cost = (input: number, output: number) => Math.round(1_000 * input * 1_000 + 100 * output * 1_000);

const harnesses: Harness[] = [];
afterAll(() => Promise.all(harnesses.map((harness) => harness.close())));

test.each([
  ['deepseek-chat', '12:00', 0.27, 1.1],
  ['deepseek-chat', '20:00', 0.135, 0.55],
  ['deepseek-chat', '00:15', 0.135, 0.55],
  ['deepseek-reasoner', '12:00', 0.55, 2.19],
  ['deepseek-reasoner', '20:00', 0.135, 0.55],
  ['deepseek-v4-flash', '02:00', 0.44, 1.32],
  ['deepseek-v4-flash', '08:00', 0.44, 1.32],
  ['deepseek-v4-flash', '12:00', 0.22, 0.66],
] as const)('%s at %s UTC is recorded under deepseek at $%s / $%s', async (model, time, input, output) => {
  const now = Date.parse(`2026-12-06T${time}:00Z`);
  const harness = await startHarness(undefined, { clock: () => now });
  harnesses.push(harness);
  const client = harness.client({}, { baseURL, fetch: fetchToEmulator(harness.emulator, baseURL) });
  await client.chat.completions.create({ model, messages, max_tokens: 200 }, { headers });
  const [record] = await harness.recorded(1);
  expect(record).toMatchObject({ provider: 'deepseek', model, timestamp: now, cost: cost(input, output) });
});
