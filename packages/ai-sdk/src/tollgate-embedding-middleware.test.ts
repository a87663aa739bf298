import { BudgetExceededError } from '@tollgate/core';
import { type Emulator, startEmulator } from '@tollgate/emulator';
import { embed, embedMany, wrapEmbeddingModel } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { providersOf, recordsOf, spent, testBudget } from './ai-sdk-test-support';
import { tollgateEmbeddingMiddleware } from './index';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('embed and embedMany through tollgateEmbeddingMiddleware', () => {
  it('records an OpenAI embedding at the tokens the model reports', async () => {
    const budget = testBudget();
    const model = wrapEmbeddingModel({
      model: providersOf(emulator).openai.embedding('text-embedding-3-small'),
      middleware: tollgateEmbeddingMiddleware(budget),
    });
    const result = await embed({ model, value: 'The budget holds for every embedding.', maxRetries: 0 });
    expect(result.embedding).toHaveLength(1536);
    const [record, ...others] = await recordsOf(budget);
    expect(others).toEqual([]);
    expect(record).toMatchObject({
      provider: 'openai',
      model: 'text-embedding-3-small',
      service: 'embedding',
      estimated: false,
      inputTokens: result.usage.tokens,
    });
    expect(record!.cost).toBeGreaterThan(0);
    expect(await spent(budget)).toEqual({ used: record!.cost, reserved: 0 });
  });

  it('records each call embedMany makes, one per chunk the model takes', async () => {
    const budget = testBudget();
    const model = wrapEmbeddingModel({
      model: providersOf(emulator).openai.embedding('text-embedding-3-small'),
      middleware: tollgateEmbeddingMiddleware(budget),
    });
    const values = Array.from({ length: 2_050 }, (_, index) => `value number ${index}`);
    const result = await embedMany({ model, values, maxRetries: 0 });
    expect(result.embeddings).toHaveLength(2_050);
    const records = await recordsOf(budget);
    // The OpenAI embedding model takes 2,048 values a call.
    expect(records).toHaveLength(emulator.requests.length);
    expect(records).toHaveLength(2);
    expect(records.reduce((sum, record) => sum + record.inputTokens, 0)).toBe(result.usage.tokens);
    expect((await spent(budget)).reserved).toBe(0);
  });

  it('records a Gemini embedding with the google provider', async () => {
    const budget = testBudget(100, { onWarning: () => {} });
    const model = wrapEmbeddingModel({
      model: providersOf(emulator).google.embedding('gemini-embedding-001'),
      middleware: tollgateEmbeddingMiddleware(budget),
    });
    await embedMany({ model, values: ['first text', 'second text'], maxRetries: 0 });
    const [record] = await recordsOf(budget);
    expect(record).toMatchObject({ provider: 'google', model: 'gemini-embedding-001', service: 'embedding' });
    expect(record!.inputTokens).toBeGreaterThan(0);
    expect(record!.cost).toBeGreaterThan(0);
  });

  it('refuses an embedding that does not fit before anything is sent', async () => {
    const budget = testBudget(0.000_000_001);
    const model = wrapEmbeddingModel({
      model: providersOf(emulator).openai.embedding('text-embedding-3-large'),
      middleware: tollgateEmbeddingMiddleware(budget),
    });
    const error = await embed({ model, value: 'x'.repeat(4_000), maxRetries: 0 }).catch(
      (caught: unknown) => caught,
    );
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    expect(emulator.requests).toEqual([]);
    expect(await spent(budget)).toEqual({ used: 0, reserved: 0 });
  });

  it('releases the hold when the provider fails', async () => {
    const budget = testBudget();
    emulator.faults.error = { status: 500 };
    const model = wrapEmbeddingModel({
      model: providersOf(emulator).openai.embedding('text-embedding-3-small'),
      middleware: tollgateEmbeddingMiddleware(budget),
    });
    await expect(embed({ model, value: 'hello', maxRetries: 0 })).rejects.toThrow();
    expect(emulator.requests).toHaveLength(1);
    expect(await spent(budget)).toEqual({ used: 0, reserved: 0 });
  });
});
