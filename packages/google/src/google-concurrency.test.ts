import { EventEmitter } from 'node:events';
import { BudgetExceededError } from '@tollgate/core';
import { type Emulator, startEmulator } from '@tollgate/emulator';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  boundTokens,
  GEMINI_2_5_FLASH,
  googleClient,
  MODEL,
  nanoUsd,
  spent,
  testBudget,
} from './google-test-support';
import { wrapGoogleGenAI } from './wrap-google-genai';

let emulator: Emulator;
const defaultMaxListeners = EventEmitter.defaultMaxListeners;
beforeAll(async () => {
  // Many requests wait on the emulator's shared shutdown signal at once: expected, not a leak.
  EventEmitter.defaultMaxListeners = 200;
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
  EventEmitter.defaultMaxListeners = defaultMaxListeners;
});

const PROMPT = 'Classify this support ticket: my invoice is wrong.';

describe('concurrent Gemini calls', () => {
  it('never commit more than the limit, whatever the mix of calls, streams, limits and modes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          calls: fc.array(
            fc.record({
              stream: fc.boolean(),
              maxOutputTokens: fc.integer({ min: 16, max: 400 }),
            }),
            { minLength: 1, maxLength: 25 },
          ),
          replyTokens: fc.integer({ min: 1, max: 400 }),
          affordableCalls: fc.double({ min: 0.5, max: 12, noNaN: true }),
          estimateWith: fc.constantFrom('bound' as const, 'auto' as const),
          onInsufficientBudget: fc.constantFrom('throw' as const, 'clamp' as const),
        }),
        async ({ calls, replyTokens, affordableCalls, estimateWith, onInsufficientBudget }) => {
          // Each reply is this long, or cut at its call's (possibly clamped) maxOutputTokens.
          emulator.usage.defaultOutputTokens = replyTokens;
          const perCall =
            nanoUsd(boundTokens(PROMPT), GEMINI_2_5_FLASH.input) + nanoUsd(200, GEMINI_2_5_FLASH.output);
          const limit = Math.floor(perCall * affordableCalls);
          const budget = testBudget(limit / 1e9);
          const outcomes = await Promise.allSettled(
            calls.map(async (call) => {
              const ai = wrapGoogleGenAI(googleClient(emulator), budget, {
                estimateWith,
                onInsufficientBudget,
              });
              const request = {
                model: MODEL,
                contents: PROMPT,
                config: { maxOutputTokens: call.maxOutputTokens },
              };
              if (!call.stream) return ai.models.generateContent(request);
              for await (const _chunk of await ai.models.generateContentStream(request)) {
                // read to the end
              }
              return undefined;
            }),
          );
          for (const outcome of outcomes)
            if (outcome.status === 'rejected')
              expect(BudgetExceededError.isInstance(outcome.reason)).toBe(true);
          const { used, reserved } = await spent(budget);
          expect(reserved).toBe(0);
          expect(used).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 20 },
    );
  });
});
