import { BudgetExceededError, createBudget, nanoToUsd, ValidationError } from '@tollgate/core';
import type { Emulator } from '@tollgate/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collect, ledger, metered, mistralClient, withEmulator } from './mistral-test-harness';
import { wrapMistral } from './wrap-mistral';

const model = 'mistral-small-latest';
const messages = [{ role: 'user' as const, content: 'Explain reservations in one paragraph.' }];

let emulator: Emulator;
beforeAll(async () => {
  emulator = await withEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

describe('concurrency', () => {
  it('admits exactly what the budget affords out of 100 parallel calls, and never overspends', async () => {
    // What one such call reserves, measured on a roomy budget.
    // The emulator bills the prompt tokens mistral-common makes of it (<s>[INST] 7 tokens [/INST]),
    // not its own characters ÷ 4 estimate, which is above the exact count the gate holds.
    const options = { headers: { 'x-emulator-input-tokens': '10' } };
    const probe = metered(emulator.mistralServerURL);
    await probe.client.chat.complete({ model, messages, maxTokens: 64 }, options);
    const perCall = probe.store.committed[0]!.reserved;
    expect(perCall).toBeGreaterThan(0);

    const limitUsd = nanoToUsd(Math.floor(perCall * 40.5));
    const { client, store, budget } = metered(emulator.mistralServerURL, {}, [
      { id: 'tight', limitUsd, period: 'day' },
    ]);
    emulator.reset();
    // The emulator holds every response until each call is waiting there or refused: every call
    // is still in flight when the last one is gated, so no early settlement frees budget.
    const results = await emulator.callTogether(
      100,
      () => client.chat.complete({ model, messages, maxTokens: 64 }, options),
      { endpoint: 'chat.completions' },
    );

    const admitted = results.filter((result) => result.status === 'fulfilled');
    const refused = results.filter((result) => result.status === 'rejected');
    expect(admitted).toHaveLength(40);
    expect(refused.every((result) => BudgetExceededError.isInstance(result.reason))).toBe(true);
    expect(emulator.requests).toHaveLength(40);
    expect(store.committed).toHaveLength(40);
    const { reserved, used } = await ledger(budget);
    expect(reserved).toBe(0);
    expect(used).toBe(store.committed.reduce((sum, record) => sum + record.cost, 0));
    expect(used).toBeLessThanOrEqual(Math.floor(perCall * 40.5));
  });
});

describe("onInsufficientBudget: 'clamp'", () => {
  const tight = [{ id: 'tight', limitUsd: 0.0005, period: 'day' as const }];

  it('shrinks maxTokens to what the budget affords, visible in the request sent', async () => {
    const { client, store } = metered(emulator.mistralServerURL, { onInsufficientBudget: 'clamp' }, tight);
    const request = { model, messages, maxTokens: 5_000 };
    await client.chat.complete(request);

    const sent = emulator.requests[0]!.body as { max_tokens: number };
    expect(sent.max_tokens).toBeLessThan(5_000);
    expect(sent.max_tokens).toBeGreaterThanOrEqual(16);
    expect(request.maxTokens).toBe(5_000);
    expect(store.committed[0]!.reserved).toBeLessThanOrEqual(500_000);
  });

  it('clamps a stream and a call without maxTokens, and shares the limit among n choices', async () => {
    const { client } = metered(emulator.mistralServerURL, { onInsufficientBudget: 'clamp' }, tight);
    await collect(await client.chat.stream({ model, messages }));
    await client.chat.complete({ model, messages, maxTokens: 5_000, n: 2 });
    const [streamed, twoChoices] = emulator.requests.map(
      (request) => request.body as { max_tokens?: number },
    );
    expect(streamed!.max_tokens).toBeGreaterThanOrEqual(16);
    expect(streamed!.max_tokens).toBeLessThan(5_000);
    expect(twoChoices!.max_tokens).toBeLessThan(streamed!.max_tokens!);
  });

  it('refuses instead when the option is not set', async () => {
    const { client } = metered(emulator.mistralServerURL, {}, tight);
    await expect(client.chat.complete({ model, messages, maxTokens: 5_000 })).rejects.toSatisfy(
      BudgetExceededError.isInstance,
    );
    expect(emulator.requests).toHaveLength(0);
  });

  it('refuses when even minOutputTokens does not fit', async () => {
    const { client } = metered(
      emulator.mistralServerURL,
      { onInsufficientBudget: 'clamp', minOutputTokens: 2_000 },
      tight,
    );
    await expect(client.chat.complete({ model, messages, maxTokens: 5_000 })).rejects.toSatisfy(
      BudgetExceededError.isInstance,
    );
  });
});

describe('downgrade', () => {
  const downgradeTo =
    (target: string) => async (request: { provider: string; service: string; model: string }) =>
      request.service === 'llm' && request.model !== target
        ? { model: target, reason: 'budget is ORANGE' }
        : undefined;

  it("calls and records the cheaper model the budget's strategy picks", async () => {
    const { client, store, budget } = metered(emulator.mistralServerURL, { downgrade: true });
    Object.assign(budget, { downgradeFor: downgradeTo('ministral-8b-latest') });
    const request = { model: 'mistral-large-2411', messages };
    const response = await client.chat.complete(request);

    expect((emulator.requests[0]!.body as { model: string }).model).toBe('ministral-8b-latest');
    expect(response.model).toBe('ministral-8b-latest');
    expect(request.model).toBe('mistral-large-2411');
    expect(store.committed[0]!.model).toBe('ministral-8b-latest');
  });

  it('never moves an embedding to another model (its vectors would not match the ones stored)', async () => {
    const { client, store, budget } = metered(emulator.mistralServerURL, { downgrade: true });
    const asked: string[] = [];
    Object.assign(budget, {
      downgradeFor: async (request: { service: string }) => {
        asked.push(request.service);
        return { model: 'other-embed', reason: 'budget is ORANGE' };
      },
    });
    await client.embeddings.create({ model: 'mistral-embed', inputs: ['a ledger line'] });
    expect((emulator.requests[0]!.body as { model: string }).model).toBe('mistral-embed');
    expect(store.committed[0]!.model).toBe('mistral-embed');
    expect(asked).toEqual([]);
  });

  it('leaves the model alone without the option', async () => {
    const { client, store, budget } = metered(emulator.mistralServerURL);
    Object.assign(budget, { downgradeFor: downgradeTo('ministral-8b-latest') });
    await client.chat.complete({ model: 'mistral-large-2411', messages });
    expect((emulator.requests[0]!.body as { model: string }).model).toBe('mistral-large-2411');
    expect(store.committed[0]!.model).toBe('mistral-large-2411');
  });
});

describe('wrap options', () => {
  it('refuses a bad context, downgrade flag or null default when wrapping, not on the first call', () => {
    const budget = createBudget();
    for (const options of [
      [],
      { context: 'u-1' },
      { context: { userId: { $gt: '' } } },
      { context: { tags: ['a.b'] } },
      { downgrade: 'yes' },
      { assumedPages: null },
      { assumedAudioSeconds: null },
      { assumedAudioSeconds: 1e300 },
      { provider: null },
      { onInsufficientBudget: null },
    ]) {
      expect(() => wrapMistral(mistralClient(emulator.mistralServerURL), budget, options as never)).toThrow(
        ValidationError,
      );
    }
    expect(emulator.requests).toHaveLength(0);
  });

  it('refuses an unknown option with the one it most likely means, and takes its own options', () => {
    const budget = createBudget();
    expect(() =>
      wrapMistral(mistralClient(emulator.mistralServerURL), budget, { assumedPage: 5 } as never),
    ).toThrow("Invalid options.assumedPage: is not an option (did you mean 'assumedPages'?)");
    expect(() =>
      wrapMistral(mistralClient(emulator.mistralServerURL), budget, {
        assumedPages: 5,
        assumedAudioSeconds: 60,
      }),
    ).not.toThrow();
  });
});
