import { MistralError, SDKValidationError } from '@mistralai/mistralai/models/errors';
import {
  BudgetExceededError,
  type CommitRequest,
  type CommitResult,
  createBudget,
  MemoryStore,
  StorageUnavailableError,
  ValidationError,
} from '@tollgate/core';
import type { Emulator } from '@tollgate/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TEST_API_KEY, collect, ledger, metered, mistralClient, withEmulator } from './mistral-test-harness';
import { wrapMistral } from './wrap-mistral';

const model = 'mistral-small-latest';
const messages = [{ role: 'user' as const, content: 'Hello there' }];
const failWith = (status: number) => ({ headers: { 'x-emulator-error-status': String(status) } });

let emulator: Emulator;
beforeAll(async () => {
  emulator = await withEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

describe('provider errors', () => {
  it.each([429, 500])(
    'passes a %i from chat.complete through unchanged and releases the reservation',
    async (status) => {
      const { client, bare, store, budget } = metered(emulator.mistralServerURL);
      const bareError = await bare.chat
        .complete({ model, messages }, failWith(status))
        .catch((error: unknown) => error);
      const error = await client.chat
        .complete({ model, messages }, failWith(status))
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(MistralError);
      expect(error).toBeInstanceOf((bareError as object).constructor);
      expect((error as MistralError).statusCode).toBe(status);
      expect((error as MistralError).message).toBe((bareError as MistralError).message);
      expect(String((error as Error).message)).not.toContain(TEST_API_KEY);
      expect(store.committed).toHaveLength(0);
      expect(await ledger(budget)).toEqual({ reserved: 0, used: 0 });
    },
  );

  it.each([429, 500])('releases the reservation when chat.stream fails with %i', async (status) => {
    const { client, store, budget } = metered(emulator.mistralServerURL);
    const error = await client.chat
      .stream({ model, messages }, failWith(status))
      .catch((caught: unknown) => caught);
    expect((error as MistralError).statusCode).toBe(status);
    expect(store.committed).toHaveLength(0);
    expect(await ledger(budget)).toEqual({ reserved: 0, used: 0 });
  });

  it('releases the reservation of failed embeddings, FIM and transcription calls', async () => {
    const { client, store, budget } = metered(emulator.mistralServerURL);
    await expect(
      client.embeddings.create({ model: 'mistral-embed', inputs: ['a'] }, failWith(500)),
    ).rejects.toBeInstanceOf(MistralError);
    await expect(
      client.fim.complete({ model: 'codestral-latest', prompt: 'x' }, failWith(429)),
    ).rejects.toBeInstanceOf(MistralError);
    await expect(
      client.audio.transcriptions.complete(
        { model: 'voxtral-mini-latest', fileUrl: 'https://example.com/a.mp3' },
        failWith(503),
      ),
    ).rejects.toBeInstanceOf(MistralError);
    expect(store.committed).toHaveLength(0);
    expect(await ledger(budget)).toEqual({ reserved: 0, used: 0 });
  });

  it('refuses a model that is not a string with a ValidationError, never an ungated call', async () => {
    const { client, store, budget } = metered(emulator.mistralServerURL);
    for (const bad of [{ $gt: '' }, null, 7, undefined]) {
      const error = await client.chat
        .complete({ model: bad, messages } as never)
        .catch((caught: unknown) => caught);
      expect(ValidationError.isInstance(error)).toBe(true);
      const transcription = await client.audio.transcriptions
        .complete({ model: bad, fileUrl: 'https://example.com/a.mp3' } as never)
        .catch((caught: unknown) => caught);
      expect(ValidationError.isInstance(transcription)).toBe(true);
    }
    expect(emulator.requests).toHaveLength(0);
    expect(store.committed).toHaveLength(0);
    expect(await ledger(budget)).toEqual({ reserved: 0, used: 0 });
  });

  it("passes the SDK's own validation error through and releases the reservation", async () => {
    const { client, store, budget } = metered(emulator.mistralServerURL);
    const error = await client.chat
      .complete({ model, messages: 'not a list' as never })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SDKValidationError);
    expect(emulator.requests).toHaveLength(0);
    expect(store.committed).toHaveLength(0);
    expect(await ledger(budget)).toEqual({ reserved: 0, used: 0 });
  });
});

describe('budget refusals', () => {
  it('refuses a call the budget cannot afford before any request is sent', async () => {
    const { client, store } = metered(emulator.mistralServerURL, {}, [
      { id: 'tiny', limitUsd: 0.000001, period: 'day' },
    ]);
    const error = await client.chat.complete({ model, messages }).catch((caught: unknown) => caught);
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    expect((error as BudgetExceededError).budgetId).toBe('tiny');
    expect((error as Error).message).not.toContain('Hello there');
    expect(emulator.requests).toHaveLength(0);
    expect(store.committed).toHaveLength(0);
  });

  it('refuses streams, embeddings and transcriptions the same way', async () => {
    const { client } = metered(emulator.mistralServerURL, {}, [
      { id: 'tiny', limitUsd: 0.000001, period: 'day' },
    ]);
    await expect(client.chat.stream({ model, messages })).rejects.toSatisfy(BudgetExceededError.isInstance);
    await expect(
      client.embeddings.create({ model: 'mistral-embed', inputs: 'x'.repeat(300) }),
    ).rejects.toSatisfy(BudgetExceededError.isInstance);
    await expect(
      client.audio.transcriptions.complete({
        model: 'voxtral-mini-latest',
        fileUrl: 'https://example.com/a.mp3',
      }),
    ).rejects.toSatisfy(BudgetExceededError.isInstance);
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('recording failures', () => {
  class FailingStore extends MemoryStore {
    override async commit(_request: CommitRequest): Promise<CommitResult> {
      throw new Error('disk full');
    }
  }

  it('buffers the record of a call when the store fails, and the caller gets the reply', async () => {
    const budget = createBudget({ store: new FailingStore(), usageBuffer: { retryIntervalMs: 60_000 } });
    const client = wrapMistral(mistralClient(emulator.mistralServerURL), budget);
    const reply = await client.chat.complete({ model, messages });
    expect(reply.choices?.[0]?.message?.content).toBeTruthy();
    expect(budget.pendingUsage).toBe(1);
  });

  it('gives the caller the reply of a call whose record fails without a buffer, and reports the failure', async () => {
    const failures: unknown[] = [];
    const budget = createBudget({ store: new FailingStore(), usageBuffer: false });
    const client = wrapMistral(mistralClient(emulator.mistralServerURL), budget, {
      onSettleError: (error) => failures.push(error),
    });
    const reply = await client.chat.complete({ model, messages });
    expect(reply.choices?.[0]?.message?.content).toBeTruthy();
    expect(failures).toHaveLength(1);
    expect(StorageUnavailableError.isInstance(failures[0])).toBe(true);
    expect((await ledger(budget)).reserved).toBe(0);
  });

  it('leaves a stream intact and reports the failure to onSettleError', async () => {
    const failures: unknown[] = [];
    const client = wrapMistral(
      mistralClient(emulator.mistralServerURL),
      createBudget({ store: new FailingStore(), usageBuffer: false }),
      {
        onSettleError: (error) => failures.push(error),
      },
    );
    const events = await collect(await client.chat.stream({ model, messages, maxTokens: 3 }));
    expect(events).toHaveLength(5);
    expect(failures).toHaveLength(1);
    expect(StorageUnavailableError.isInstance(failures[0])).toBe(true);
  });
});
