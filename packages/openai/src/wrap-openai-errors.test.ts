import { BudgetExceededError } from '@tollgate/core';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { API_KEY, type Harness, startHarness } from './testing/openai-test-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness([{ id: 'small', limitUsd: 0.05, period: 'month' }]);
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.store.committed.length = 0;
  harness.emulator.requests.length = 0;
});

const SECRET_PROMPT = 'The launch code of project Nightingale is 7-4-1.';
const request = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content: SECRET_PROMPT }],
  max_tokens: 100,
};

describe('provider errors', () => {
  test.each([
    [429, OpenAI.RateLimitError],
    [500, OpenAI.InternalServerError],
  ])(
    'a %i passes through as the SDK error, after the reservation is released',
    async (status, ErrorClass) => {
      const headers = { 'x-emulator-error-status': String(status) };
      const bare = await harness
        .bareClient()
        .chat.completions.create(request, { headers })
        .catch((error: unknown) => error);
      const error = await harness
        .client()
        .chat.completions.create(request, { headers })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error!.constructor).toBe(bare!.constructor);
      expect((error as InstanceType<typeof ErrorClass>).status).toBe(status);
      expect((error as Error).message).toBe((bare as Error).message);
      expect(await harness.reserved()).toBe(0);
      expect(harness.store.committed).toHaveLength(0);
    },
  );

  test('a failed stream request releases too', async () => {
    const pending = harness
      .client()
      .chat.completions.create(
        { ...request, stream: true },
        { headers: { 'x-emulator-error-status': '503' } },
      );
    await expect(pending).rejects.toBeInstanceOf(OpenAI.APIError);
    expect(await harness.reserved()).toBe(0);
    expect(harness.store.committed).toHaveLength(0);
  });

  test('withResponse() and asResponse() release on errors', async () => {
    const headers = { 'x-emulator-error-status': '429' };
    await expect(
      harness.client().chat.completions.create(request, { headers }).withResponse(),
    ).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    await expect(
      harness.client().chat.completions.create(request, { headers }).asResponse(),
    ).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    expect(await harness.reserved()).toBe(0);
  });

  test('a connection error releases', async () => {
    const client = harness.client({}, { baseURL: 'http://127.0.0.1:9/v1' });
    await expect(client.chat.completions.create(request)).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    expect(await harness.reserved()).toBe(0);
  });
});

describe('budget refusals', () => {
  test('a call the budget cannot afford is refused before any request is sent', async () => {
    const error = await harness
      .client()
      .chat.completions.create({ ...request, max_tokens: 200_000 })
      .catch((caught: unknown) => caught);
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ budgetId: 'small', reason: 'insufficient-remaining' });
    expect(harness.emulator.requests).toHaveLength(0);
    expect(String((error as Error).message)).not.toContain('Nightingale');
    expect(String((error as Error).message)).not.toContain(API_KEY);
    expect(await harness.reserved()).toBe(0);
  });
});
