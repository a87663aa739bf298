import { BudgetExceededError } from '@tollgate/core';
import { type Emulator, startEmulator } from '@tollgate/emulator';
import fc from 'fast-check';
import { generateText, streamText, wrapLanguageModel } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providersOf, recordsOf, spent, testBudget } from './ai-sdk-test-support';
import { tollgateMiddleware } from './index';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

describe('concurrent calls through tollgateMiddleware', () => {
  it('never commit more than the limit, and every answered call is recorded once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            stream: fc.boolean(),
            maxOutputTokens: fc.integer({ min: 1, max: 64 }),
            words: fc.integer({ min: 1, max: 40 }),
          }),
          { minLength: 2, maxLength: 12 },
        ),
        fc.integer({ min: 5_000, max: 60_000 }),
        fc.constantFrom('throw' as const, 'clamp' as const),
        async (calls, limitNano, onInsufficientBudget) => {
          emulator.reset();
          const budget = testBudget(limitNano / 1e9);
          // The emulator counts a prompt by its characters, not by a tokenizer: a fixed count, below
          // any prompt's bound, keeps this to the property under test.
          const providers = providersOf(emulator, { 'x-emulator-input-tokens': '6' });
          const model = wrapLanguageModel({
            model: providers.openai.chat('gpt-4o-mini'),
            middleware: tollgateMiddleware(budget, { onInsufficientBudget }),
          });
          const outcomes = await Promise.all(
            calls.map(async ({ stream, maxOutputTokens, words }) => {
              const prompt = 'Classify this support ticket: my invoice is wrong. '.repeat(words);
              try {
                if (stream) {
                  const errors: unknown[] = [];
                  const result = streamText({
                    model,
                    prompt,
                    maxOutputTokens,
                    maxRetries: 0,
                    onError: ({ error }) => errors.push(error),
                  });
                  await result.consumeStream();
                  if (errors.length > 0) throw errors[0];
                } else {
                  await generateText({ model, prompt, maxOutputTokens, maxRetries: 0 });
                }
                return 'answered';
              } catch (error) {
                if (BudgetExceededError.isInstance(error)) return 'refused';
                throw error;
              }
            }),
          );
          const { used, reserved } = await spent(budget);
          expect(used).toBeLessThanOrEqual(limitNano);
          expect(reserved).toBe(0);
          const answered = outcomes.filter((outcome) => outcome === 'answered').length;
          expect(emulator.requests).toHaveLength(answered);
          const records = await recordsOf(budget);
          expect(records).toHaveLength(answered);
          expect(records.reduce((sum, record) => sum + record.cost, 0)).toBe(used);
        },
      ),
      { numRuns: 25 },
    );
  });
});
