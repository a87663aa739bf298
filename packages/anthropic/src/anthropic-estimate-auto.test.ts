import { BudgetExceededError } from '@tollgate/core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  anthropicClient,
  localTokens,
  MODEL,
  messagesRequests,
  nanoUsd,
  recordOf,
  SONNET_4_5,
  spent,
  testBudget,
  testEmulator,
} from './anthropic-test-support';
import { wrapAnthropic } from './wrap-anthropic';

const emulator = await testEmulator();
afterEach(() => {
  vi.useRealTimers();
});

const SYSTEM = 'You are a support assistant. Answer briefly and politely.';
const QUESTION =
  'My invoice for November lists two seats, but our team removed one of them on the third of the month. ' +
  'Could you explain how the proration works, whether the removed seat is still billed for the whole month, ' +
  'and what I should do to get a corrected invoice before our accounting closes the quarter next week?';
const params = {
  model: MODEL,
  max_tokens: 300,
  system: SYSTEM,
  messages: [{ role: 'user' as const, content: QUESTION }],
};
const COUNT_ENDPOINT = 'messages.count_tokens';

/** The prompt's tokens as the gate holds them with the local bound: its texts' upper bound and 4 framing tokens a message. */
const boundTokens = localTokens(QUESTION, SYSTEM) + 8;
/** The worst case of one call held with the bound, and with an exact prompt count. */
const boundWorstCase = nanoUsd(boundTokens, SONNET_4_5.input) + nanoUsd(300, SONNET_4_5.output);
const worstCaseWith = (promptTokens: number, outputTokens = 300) =>
  nanoUsd(promptTokens, SONNET_4_5.input) + nanoUsd(outputTokens, SONNET_4_5.output);

let exactTokens: number;
beforeAll(async () => {
  exactTokens = (await anthropicClient(emulator).messages.countTokens(params)).input_tokens;
});

function endpoints(): (string | null)[] {
  return emulator.requests.map((request) => request.endpoint);
}

async function failureOf(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

/** Waits, on setImmediate (which the fake clock leaves alone), until the emulator has logged `count` requests. */
async function untilRequests(count: number): Promise<void> {
  for (let turn = 0; emulator.requests.length < count; turn++) {
    if (turn > 100_000) throw new Error(`the emulator never received ${count} requests`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("estimateWith: 'auto' (the default)", () => {
  it('the prompt of this file is one whose bound is far above its exact count', () => {
    expect(boundTokens).toBeGreaterThan(3 * exactTokens);
  });

  it('holds the bound and asks for no count when the call fits comfortably', async () => {
    const budget = testBudget(10);
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const message = await client.messages.create(params);
    expect(endpoints()).toEqual(['messages']);
    expect((await recordOf(budget, message.id)).reserved).toBe(boundWorstCase);
  });

  it('admits a call whose bound is refused but whose exact count fits, after exactly one count request', async () => {
    const limit = Math.floor((worstCaseWith(exactTokens) + boundWorstCase) / 2);
    const budget = testBudget(limit / 1e9);
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const message = await client.messages.create(params);
    expect(endpoints()).toEqual([COUNT_ENDPOINT, 'messages']);
    const record = await recordOf(budget, message.id);
    expect(record.reserved).toBe(worstCaseWith(exactTokens));
    expect(record.cost).toBeLessThanOrEqual(limit);
    // The same budget refuses it with the bound alone.
    emulator.reset();
    const bound = wrapAnthropic(anthropicClient(emulator), testBudget(limit / 1e9), {
      estimateWith: 'bound',
    });
    expect(BudgetExceededError.isInstance(await failureOf(bound.messages.create(params)))).toBe(true);
    expect(endpoints()).toEqual([]);
  });

  it('counts with the caller’s headers and sends the counted fields only', async () => {
    const budget = testBudget(worstCaseWith(exactTokens) / 1e9);
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    await client.messages.create(params, { headers: { 'x-trace': 'abc' } });
    const [count] = emulator.requests;
    expect(count?.endpoint).toBe(COUNT_ENDPOINT);
    expect(count?.headers['x-trace']).toBe('abc');
    expect(count?.body).toEqual({ model: MODEL, system: SYSTEM, messages: params.messages });
  });

  it('refuses without a count when nothing is left', async () => {
    const budget = testBudget(1);
    await budget.recordUsage({ provider: 'anthropic', model: MODEL, usage: { outputTokens: 70_000 } }); // $1.05
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const error = await failureOf(client.messages.create(params));
    expect(error).toMatchObject({ reason: 'over-budget' });
    expect(endpoints()).toEqual([]);
  });

  it('refuses after the count when the exact count does not fit either', async () => {
    const limit = worstCaseWith(exactTokens) - 1;
    const budget = testBudget(limit / 1e9);
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const error = await failureOf(client.messages.create(params));
    expect(error).toMatchObject({ reason: 'insufficient-remaining', neededNano: worstCaseWith(exactTokens) });
    expect(endpoints()).toEqual([COUNT_ENDPOINT]);
    expect(await spent(budget)).toEqual({ used: 0, reserved: 0 });
  });

  it('clamps near the limit from the exact count', async () => {
    const limit = worstCaseWith(exactTokens, 120);
    const budget = testBudget(limit / 1e9);
    const client = wrapAnthropic(anthropicClient(emulator), budget, { onInsufficientBudget: 'clamp' });
    const message = await client.messages.create(params);
    expect(endpoints()).toEqual([COUNT_ENDPOINT, 'messages']);
    expect((messagesRequests(emulator)[0]!.body as { max_tokens: number }).max_tokens).toBe(120);
    expect((await recordOf(budget, message.id)).reserved).toBe(limit);
    // With the bound the same budget leaves less output.
    emulator.reset();
    const bound = wrapAnthropic(anthropicClient(emulator), testBudget(limit / 1e9), {
      onInsufficientBudget: 'clamp',
      estimateWith: 'bound',
    });
    await bound.messages.create(params);
    expect((messagesRequests(emulator)[0]!.body as { max_tokens: number }).max_tokens).toBeLessThan(120);
  });

  it('admits from the exact count a call whose bound reaches a per-call cap', async () => {
    const cap = Math.floor((worstCaseWith(exactTokens) + boundWorstCase) / 2);
    const budget = testBudget(1, {
      budgets: [{ id: 'app', limitUsd: 1, period: 'month', perCallCapsUsd: { red: cap / 1e9 } }],
    });
    await budget.recordUsage({ provider: 'anthropic', model: MODEL, usage: { outputTokens: 62_000 } }); // $0.93: RED
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const message = await client.messages.create(params);
    expect(endpoints()).toEqual([COUNT_ENDPOINT, 'messages']);
    expect((await recordOf(budget, message.id)).reserved).toBe(worstCaseWith(exactTokens));
    // The bound alone is stopped by the cap.
    emulator.reset();
    const bound = wrapAnthropic(anthropicClient(emulator), budget, { estimateWith: 'bound' });
    expect(await failureOf(bound.messages.create(params))).toMatchObject({ reason: 'per-call-cap' });
  });

  it('leaves the bound’s refusal when the count fails', async () => {
    emulator.faults.error = { status: 500, endpoint: COUNT_ENDPOINT };
    const limit = Math.floor((worstCaseWith(exactTokens) + boundWorstCase) / 2);
    const budget = testBudget(limit / 1e9);
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const error = await failureOf(client.messages.create(params));
    expect(error).toMatchObject({ reason: 'insufficient-remaining', neededNano: boundWorstCase });
    expect(emulator.requests.map((request) => [request.endpoint, request.status])).toEqual([
      [COUNT_ENDPOINT, 500],
    ]);
    expect(await spent(budget)).toEqual({ used: 0, reserved: 0 });
  });

  it('leaves the bound’s clamp when the count fails', async () => {
    const limit = worstCaseWith(exactTokens, 120);
    const bound = wrapAnthropic(anthropicClient(emulator), testBudget(limit / 1e9), {
      onInsufficientBudget: 'clamp',
      estimateWith: 'bound',
    });
    await bound.messages.create(params);
    const boundClamp = (messagesRequests(emulator)[0]!.body as { max_tokens: number }).max_tokens;
    emulator.reset();
    emulator.faults.error = { status: 429, endpoint: COUNT_ENDPOINT };
    const client = wrapAnthropic(anthropicClient(emulator), testBudget(limit / 1e9), {
      onInsufficientBudget: 'clamp',
    });
    await client.messages.create(params);
    expect(endpoints()).toEqual([COUNT_ENDPOINT, 'messages']);
    expect((messagesRequests(emulator)[0]!.body as { max_tokens: number }).max_tokens).toBe(boundClamp);
  });

  it('leaves the bound’s decision when the count hangs past countTimeoutMs, and cancels it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    emulator.faults.stall = { endpoint: COUNT_ENDPOINT };
    const limit = Math.floor((worstCaseWith(exactTokens) + boundWorstCase) / 2);
    const budget = testBudget(limit / 1e9);
    const client = wrapAnthropic(anthropicClient(emulator), budget, { countTimeoutMs: 500 });
    const outcome = failureOf(client.messages.create(params));
    await untilRequests(1);
    vi.advanceTimersByTime(499);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await Promise.race([outcome.then(() => 'settled'), Promise.resolve('pending')])).toBe('pending');
    vi.advanceTimersByTime(1);
    expect(await outcome).toMatchObject({ reason: 'insufficient-remaining', neededNano: boundWorstCase });
    expect(endpoints()).toEqual([COUNT_ENDPOINT]);
    expect(emulator.requests[0]?.status).toBeUndefined();
    expect(await spent(budget)).toEqual({ used: 0, reserved: 0 });
  });

  it('clamps from the bound when the count hangs (default timeout, 2 s on the fake clock)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    emulator.faults.stall = { endpoint: COUNT_ENDPOINT };
    const limit = worstCaseWith(exactTokens, 120);
    const budget = testBudget(limit / 1e9);
    const client = wrapAnthropic(anthropicClient(emulator), budget, { onInsufficientBudget: 'clamp' });
    const message = client.messages.create(params);
    await untilRequests(1);
    vi.advanceTimersByTime(2_000);
    const { id } = await message;
    expect(endpoints()).toEqual([COUNT_ENDPOINT, 'messages']);
    const sent = (messagesRequests(emulator)[0]!.body as { max_tokens: number }).max_tokens;
    expect(sent).toBeLessThan(120);
    expect((await recordOf(budget, id)).reserved).toBe(worstCaseWith(boundTokens, sent));
  });
});

describe("estimateWith: 'countTokens'", () => {
  it('times out a hanging count and holds the bound', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    emulator.faults.stall = { endpoint: COUNT_ENDPOINT };
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget, {
      estimateWith: 'countTokens',
      countTimeoutMs: 100,
    });
    const message = client.messages.create(params);
    await untilRequests(1);
    vi.advanceTimersByTime(100);
    const { id } = await message;
    expect(endpoints()).toEqual([COUNT_ENDPOINT, 'messages']);
    expect((await recordOf(budget, id)).reserved).toBe(boundWorstCase);
  });
});
