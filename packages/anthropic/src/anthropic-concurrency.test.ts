import { EventEmitter } from 'node:events';
import { BudgetExceededError } from '@tollgate/core';
import { type Emulator, startEmulator } from '@tollgate/emulator';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  anthropicClient,
  localTokens,
  MODEL,
  messagesRequests,
  nanoUsd,
  SONNET_4_5,
  spent,
  testBudget,
} from './anthropic-test-support';
import { wrapAnthropic } from './wrap-anthropic';

let emulator: Emulator;
const defaultMaxListeners = EventEmitter.defaultMaxListeners;

beforeAll(async () => {
  // A hundred requests at once, each with its abort listeners, are expected here, not a leak.
  EventEmitter.defaultMaxListeners = 200;
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
  EventEmitter.defaultMaxListeners = defaultMaxListeners;
});
beforeEach(() => emulator.reset());

const PROMPT = 'Classify this support ticket: my invoice is wrong.';
const params = { model: MODEL, max_tokens: 500, messages: [{ role: 'user' as const, content: PROMPT }] };
/** What the gate reserves for one call: the conservative prompt count and the whole max_tokens. */
const worstCase = nanoUsd(localTokens(PROMPT) + 4, SONNET_4_5.input) + nanoUsd(500, SONNET_4_5.output);
// The calls hold the bound ('bound'): with 'auto', a refused call would count its prompt and gate
// again after the first calls settled.

/**
 * Makes `count` calls at once while the emulator holds every Messages response, until each call
 * is either waiting at the emulator (admitted) or refused: every gate runs before any call settles.
 */
describe('100 parallel calls on a budget that affords 40', () => {
  it('admits exactly 40, refuses 60 with BudgetExceededError, and never commits past the limit', async () => {
    const limit = Math.floor(worstCase * 40.5);
    const budget = testBudget(limit / 1e9);
    const client = wrapAnthropic(anthropicClient(emulator), budget, { estimateWith: 'bound' });

    const outcomes = await emulator.callTogether(100, () => client.messages.create(params), {
      endpoint: 'messages',
    });
    const admitted = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');

    expect(admitted).toHaveLength(40);
    expect(refused.every((outcome) => BudgetExceededError.isInstance(outcome.reason))).toBe(true);
    expect(messagesRequests(emulator)).toHaveLength(40);
    const { used, reserved } = await spent(budget);
    expect(reserved).toBe(0);
    expect(used).toBeLessThanOrEqual(limit);
    // Every admitted call is recorded at its real cost: 64 output tokens each.
    const perCall =
      nanoUsd(Math.ceil(PROMPT.length / 4) + 4, SONNET_4_5.input) + nanoUsd(64, SONNET_4_5.output);
    expect(used).toBe(40 * perCall);
  });

  it('with clamp, also admits one more call shrunk into the remainder', async () => {
    const limit = Math.floor(worstCase * 40.5);
    const budget = testBudget(limit / 1e9);
    const client = wrapAnthropic(anthropicClient(emulator), budget, {
      onInsufficientBudget: 'clamp',
      estimateWith: 'bound',
    });

    const outcomes = await emulator.callTogether(100, () => client.messages.create(params), {
      endpoint: 'messages',
    });
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(41);
    const limits = messagesRequests(emulator).map(
      (request) => (request.body as { max_tokens: number }).max_tokens,
    );
    expect(limits.filter((maxTokens) => maxTokens === 500)).toHaveLength(40);
    expect(limits.filter((maxTokens) => maxTokens < 500)).toHaveLength(1);
    expect((await spent(budget)).used).toBeLessThanOrEqual(limit);
  });

  it('streams under the same rule: committed stays under the limit', async () => {
    const limit = Math.floor(worstCase * 40.5);
    const budget = testBudget(limit / 1e9);
    const client = wrapAnthropic(anthropicClient(emulator), budget, { estimateWith: 'bound' });
    const outcomes = await emulator.callTogether(
      100,
      async () => {
        for await (const _event of await client.messages.create({ ...params, stream: true })) {
          // read to the end
        }
      },
      { endpoint: 'messages' },
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(40);
    const { used, reserved } = await spent(budget);
    expect(reserved).toBe(0);
    expect(used).toBeLessThanOrEqual(limit);
  });
});

describe("estimateWith: 'auto' under concurrency", () => {
  const prompts = [
    PROMPT,
    'Summarise the attached meeting notes in three bullet points, keeping the decisions and owners.',
    'Translate into French: "The shipment left the warehouse on Monday and should arrive by Thursday."',
    'Write a SQL query that returns the ten customers with the highest total order value in 2025.',
    'Explain the difference between a mutex and a semaphore to a junior developer, with an example.',
  ];
  const call = fc.record({
    prompt: fc.constantFrom(...prompts),
    maxTokens: fc.integer({ min: 16, max: 800 }),
    latencyMs: fc.integer({ min: 0, max: 15 }),
  });

  it('never commits past the limit, whatever the count endpoint does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          // From less than one call's worst case to a few dozen of them.
          limitNano: fc.integer({ min: 1_000_000, max: 150_000_000 }),
          mode: fc.constantFrom('throw' as const, 'clamp' as const),
          count: fc.constantFrom('answers', 'fails', 'hangs'),
          // What each reply generates, at most its max_tokens (the emulator stops there, as the API does).
          outputTokens: fc.integer({ min: 1, max: 800 }),
          calls: fc.array(call, { minLength: 1, maxLength: 30 }),
        }),
        async ({ limitNano, mode, count, outputTokens, calls }) => {
          emulator.reset();
          emulator.usage.defaultOutputTokens = outputTokens;
          if (count === 'fails') emulator.faults.error = { status: 500, endpoint: 'messages.count_tokens' };
          if (count === 'hangs') emulator.faults.stall = { endpoint: 'messages.count_tokens' };
          const budget = testBudget(limitNano / 1e9);
          const client = wrapAnthropic(anthropicClient(emulator), budget, {
            onInsufficientBudget: mode,
            countTimeoutMs: 20,
          });
          const outcomes = await Promise.allSettled(
            calls.map(({ prompt, maxTokens, latencyMs }) =>
              client.messages.create(
                { model: MODEL, max_tokens: maxTokens, messages: [{ role: 'user', content: prompt }] },
                { headers: { 'x-emulator-latency-ms': String(latencyMs) } },
              ),
            ),
          );
          for (const outcome of outcomes)
            if (outcome.status === 'rejected')
              expect(BudgetExceededError.isInstance(outcome.reason)).toBe(true);
          const { used, reserved } = await spent(budget);
          expect(reserved).toBe(0);
          expect(used).toBeLessThanOrEqual(limitNano);
          expect(messagesRequests(emulator)).toHaveLength(
            outcomes.filter((outcome) => outcome.status === 'fulfilled').length,
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});
