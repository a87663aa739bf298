import Anthropic from '@anthropic-ai/sdk';
import { BudgetExceededError, BudgetManager, createBudget } from '@tollgate/core';
import { describe, expect, it } from 'vitest';
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

const PROMPT = 'Write a haiku about budgets.';
const params = { model: MODEL, max_tokens: 1000, messages: [{ role: 'user' as const, content: PROMPT }] };

async function failureOf(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('provider errors', () => {
  it.each([
    [429, Anthropic.RateLimitError],
    [500, Anthropic.InternalServerError],
    [529, Anthropic.APIError],
  ])('passes a %i through unchanged and gives the reservation back', async (status, errorClass) => {
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const headers = { 'x-emulator-error-status': String(status) };
    const bareError = await failureOf(anthropicClient(emulator).messages.create(params, { headers }));
    emulator.reset();
    const error = await failureOf(client.messages.create(params, { headers }));
    expect(error).toBeInstanceOf(errorClass);
    expect((error as Error).constructor).toBe((bareError as Error).constructor);
    expect(error).toMatchObject({
      status,
      message: (bareError as Error).message,
      requestID: 'req_emulator000001',
    });
    expect(await spent(budget)).toEqual({ used: 0, reserved: 0 });
  });

  it('gives the reservation back when a streamed request is refused', async () => {
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const error = await failureOf(
      client.messages.create({ ...params, stream: true }, { headers: { 'x-emulator-error-status': '500' } }),
    );
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(await spent(budget)).toEqual({ used: 0, reserved: 0 });
  });

  it('lets messages.stream() report a provider error as unwrapped, with the reservation given back', async () => {
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const stream = client.messages.stream(params, { headers: { 'x-emulator-error-status': '429' } });
    const events: unknown[] = [];
    stream.on('error', (error) => events.push(error));
    const error = await failureOf(stream.finalMessage());
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(events).toEqual([error]);
    expect(await spent(budget)).toEqual({ used: 0, reserved: 0 });
  });

  it('never puts the API key in an error', async () => {
    const client = wrapAnthropic(anthropicClient(emulator), testBudget());
    const error = await failureOf(
      client.messages.create(params, { headers: { 'x-emulator-error-status': '401' } }),
    );
    expect(JSON.stringify(error)).not.toContain('not-a-real-key');
    expect(String(error)).not.toContain('not-a-real-key');
  });
});

describe('refusal', () => {
  it('refuses with BudgetExceededError before anything is sent', async () => {
    const budget = testBudget(0.001);
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const error = await failureOf(client.messages.create(params));
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ budgetId: 'app', reason: 'insufficient-remaining' });
    expect(messagesRequests(emulator)).toHaveLength(0);
    expect(await spent(budget)).toEqual({ used: 0, reserved: 0 });
  });

  it('reports the refusal itself through every channel of messages.stream()', async () => {
    const client = wrapAnthropic(anthropicClient(emulator), testBudget(0.001));
    const stream = client.messages.stream(params);
    const emitted: unknown[] = [];
    stream.on('error', (error) => emitted.push(error));
    const error = await failureOf(stream.finalMessage());
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    expect(emitted).toEqual([error]);
    expect(BudgetExceededError.isInstance(await failureOf(stream.finalText()))).toBe(true);
    const iterated = await failureOf(
      (async () => {
        for await (const _event of client.messages.stream(params)) {
          // never reached
        }
      })(),
    );
    expect(BudgetExceededError.isInstance(iterated)).toBe(true);
    const beta = await failureOf(client.beta.messages.stream(params).finalMessage());
    expect(BudgetExceededError.isInstance(beta)).toBe(true);
    expect(messagesRequests(emulator)).toHaveLength(0);
  });
});

describe('clamp', () => {
  it('shrinks max_tokens to what the budget affords, visibly in the request sent', async () => {
    // Affords the prompt and about 400 output tokens, not the 1000 asked for.
    const promptTokens = localTokens(PROMPT) + 4;
    const limitNano = nanoUsd(promptTokens, SONNET_4_5.input) + nanoUsd(400, SONNET_4_5.output);
    const budget = testBudget(limitNano / 1e9);
    const client = wrapAnthropic(anthropicClient(emulator), budget, {
      onInsufficientBudget: 'clamp',
      estimateWith: 'bound',
    });
    const message = await client.messages.create(params);
    const sent = messagesRequests(emulator)[0]!.body as { max_tokens: number };
    expect(sent.max_tokens).toBe(400);
    const record = await recordOf(budget, message.id);
    expect(record.reserved).toBeLessThanOrEqual(limitNano);
    expect(record.cost).toBeLessThanOrEqual(limitNano);
  });

  it('keeps a thinking budget below the clamped max_tokens, and never clamps under the API minimum', async () => {
    const promptTokens = localTokens(PROMPT) + 4;
    const budget = testBudget(
      (nanoUsd(promptTokens, SONNET_4_5.input) + nanoUsd(1500, SONNET_4_5.output)) / 1e9,
    );
    const client = wrapAnthropic(anthropicClient(emulator), budget, {
      onInsufficientBudget: 'clamp',
      estimateWith: 'bound',
    });
    await client.messages.create({
      ...params,
      max_tokens: 8000,
      thinking: { type: 'enabled', budget_tokens: 4000 },
    });
    const sent = messagesRequests(emulator)[0]!.body as {
      max_tokens: number;
      thinking: { budget_tokens: number };
    };
    expect(sent.max_tokens).toBe(1500);
    expect(sent.thinking).toEqual({ type: 'enabled', budget_tokens: 1499 });

    const tight = testBudget(
      (nanoUsd(promptTokens, SONNET_4_5.input) + nanoUsd(1000, SONNET_4_5.output)) / 1e9,
    );
    const tightClient = wrapAnthropic(anthropicClient(emulator), tight, {
      onInsufficientBudget: 'clamp',
      estimateWith: 'bound',
    });
    const refusal = await failureOf(
      tightClient.messages.create({
        ...params,
        max_tokens: 8000,
        thinking: { type: 'enabled', budget_tokens: 4000 },
      }),
    );
    expect(BudgetExceededError.isInstance(refusal)).toBe(true);
  });

  it('refuses rather than clamp below minOutputTokens', async () => {
    const promptTokens = localTokens(PROMPT) + 4;
    const budget = testBudget(
      (nanoUsd(promptTokens, SONNET_4_5.input) + nanoUsd(100, SONNET_4_5.output)) / 1e9,
    );
    const client = wrapAnthropic(anthropicClient(emulator), budget, {
      onInsufficientBudget: 'clamp',
      minOutputTokens: 200,
    });
    expect(BudgetExceededError.isInstance(await failureOf(client.messages.create(params)))).toBe(true);
    expect(messagesRequests(emulator)).toHaveLength(0);
  });
});

describe('downgrade', () => {
  /** A budget whose cost strategy always picks Haiku, standing in for core's strategy at a high alert level. */
  class CheapestFirstBudget extends BudgetManager {
    readonly asked: unknown[] = [];
    override async downgradeFor(request: { provider: string; service?: string; model: string }) {
      this.asked.push(request);
      return { model: 'claude-haiku-4-5', reason: 'RED: cheapest first' };
    }
  }

  it('sends the call to the cheaper model the strategy picks and records it under that model', async () => {
    const budget = new CheapestFirstBudget({
      budgets: [{ id: 'app', limitUsd: 100, perCallCapsUsd: false }],
    });
    const client = wrapAnthropic(anthropicClient(emulator), budget, { downgrade: true });
    const message = await client.messages.create(params, { headers: { 'x-emulator-input-tokens': '100' } });
    expect(budget.asked).toEqual([{ provider: 'anthropic', service: 'llm', model: MODEL }]);
    expect((messagesRequests(emulator)[0]!.body as { model: string }).model).toBe('claude-haiku-4-5');
    const record = await recordOf(budget, message.id);
    // Haiku 4.5: $1 input, $5 output per million tokens.
    expect(record).toMatchObject({ model: 'claude-haiku-4-5', cost: nanoUsd(100, 1) + nanoUsd(64, 5) });
  });

  it('follows core’s own strategy: a cheaper Anthropic model once the budget is RED', async () => {
    const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 10, perCallCapsUsd: false }] });
    await budget.recordUsage({ provider: 'anthropic', model: MODEL, usage: { outputTokens: 620_000 } }); // $9.30 of $10
    expect((await budget.status())[0]?.alertLevel).toBe('RED');
    const client = wrapAnthropic(anthropicClient(emulator), budget, { downgrade: true });
    const message = await client.messages.create(params);
    const sent = (messagesRequests(emulator)[0]!.body as { model: string }).model;
    expect(sent).not.toBe(MODEL);
    expect(sent).toMatch(/^claude-/);
    const record = await recordOf(budget, message.id);
    expect(budget.catalog.resolve('anthropic', record.model)?.price.rates.output?.nanoUsd).toBeLessThan(
      15_000_000_000,
    );
  });

  it('keeps the model while the strategy is quality first', async () => {
    const client = wrapAnthropic(anthropicClient(emulator), testBudget(), { downgrade: true });
    await client.messages.create(params);
    expect((messagesRequests(emulator)[0]!.body as { model: string }).model).toBe(MODEL);
  });

  it('leaves the model alone without the option', async () => {
    const budget = new CheapestFirstBudget({
      budgets: [{ id: 'app', limitUsd: 100, perCallCapsUsd: false }],
    });
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    await client.messages.create(params);
    expect(budget.asked).toEqual([]);
    expect((messagesRequests(emulator)[0]!.body as { model: string }).model).toBe(MODEL);
  });
});

describe("estimateWith: 'countTokens'", () => {
  const longParams = {
    model: MODEL,
    max_tokens: 100,
    system: 'You answer in French.',
    messages: [{ role: 'user' as const, content: 'x'.repeat(4_000) }],
  };

  it('reserves from the exact count of the free countTokens endpoint', async () => {
    const exact = (await anthropicClient(emulator).messages.countTokens(longParams)).input_tokens;
    emulator.reset();
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget, { estimateWith: 'countTokens' });
    const message = await client.messages.create(longParams);
    expect(emulator.requests.map((request) => request.endpoint)).toEqual([
      'messages.count_tokens',
      'messages',
    ]);
    const record = await recordOf(budget, message.id);
    expect(record.reserved).toBe(nanoUsd(exact, SONNET_4_5.input) + nanoUsd(100, SONNET_4_5.output));
  });

  it('falls back to the local estimate when the count fails', async () => {
    emulator.faults.error = { status: 500, times: 1 };
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget, { estimateWith: 'countTokens' });
    const message = await client.messages.create(longParams);
    const local = localTokens('x'.repeat(4_000), 'You answer in French.') + 8;
    expect((await recordOf(budget, message.id)).reserved).toBe(
      nanoUsd(local, SONNET_4_5.input) + nanoUsd(100, SONNET_4_5.output),
    );
  });
});

describe('prompt caching in the estimate', () => {
  it('reserves the cache-write premium when the request asks for caching', async () => {
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const system = [
      {
        type: 'text' as const,
        text: 'y'.repeat(3_000),
        cache_control: { type: 'ephemeral' as const, ttl: '1h' as const },
      },
    ];
    const message = await client.messages.create({ ...params, system });
    const promptTokens = localTokens('y'.repeat(3_000), PROMPT) + 8;
    // Written for an hour: twice the input price, the worst case for the whole prompt.
    expect((await recordOf(budget, message.id)).reserved).toBe(
      nanoUsd(promptTokens * 2, SONNET_4_5.input) + nanoUsd(1000, SONNET_4_5.output),
    );
  });
});

describe('createBudget interplay', () => {
  it('works with the default budget manager options', async () => {
    const client = wrapAnthropic(anthropicClient(emulator), createBudget());
    const message = await client.messages.create(params);
    expect(message.id).toMatch(/^msg_/);
  });
});
