import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { BudgetExceededError } from '@tollgate/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BATCH_MODEL_SUFFIX, batchModelId } from './anthropic-batch-price';
import {
  API_KEY,
  localTokens,
  MODEL,
  nanoUsd,
  recordOf,
  SONNET_4_5,
  spent,
  testBudget,
} from './anthropic-test-support';
import { wrapAnthropic } from './wrap-anthropic';

// The emulator has no Message Batches endpoints: a minimal server replays recorded-shape fixtures.
const batch = JSON.parse(readFileSync(new URL('./__fixtures__/message-batch.json', import.meta.url), 'utf8'));
const results = readFileSync(new URL('./__fixtures__/message-batch-results.jsonl', import.meta.url), 'utf8');

let server: Server;
let baseURL: string;
const received: { method: string; path: string }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://batches').pathname;
    received.push({ method: request.method ?? '', path });
    request.resume();
    request.on('end', () => {
      if (path.endsWith('/results')) {
        response.writeHead(200, { 'content-type': 'application/binary' });
        response.end(results);
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_batches' });
      response.end(
        JSON.stringify({ ...batch, results_url: `${baseURL}/v1/messages/batches/${batch.id}/results` }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received.length = 0;
});

function client() {
  return new Anthropic({ apiKey: API_KEY, baseURL, maxRetries: 0 });
}

/** Batch prices are half the standard ones, cache prices included. */
const sonnetResult =
  nanoUsd(1200, SONNET_4_5.input / 2) +
  nanoUsd(5000, SONNET_4_5.cacheRead / 2) +
  nanoUsd(2000, SONNET_4_5.cacheWrite5m / 2) +
  nanoUsd(300, SONNET_4_5.output / 2);
// claude-haiku-4-5: $1 input, $2 one-hour cache write, $5 output per million tokens.
const haikuResult = nanoUsd(500, 1 / 2) + nanoUsd(1000, 2 / 2) + nanoUsd(100, 5 / 2);

describe('messages.batches.results', () => {
  it('records each succeeded result at batch prices, under its message id', async () => {
    expect(sonnetResult).toBe(8_550_000); // $0.00855, half of $0.0171
    const budget = testBudget();
    const wrapped = wrapAnthropic(client(), budget);
    const seen: unknown[] = [];
    for await (const item of await wrapped.messages.batches.results(batch.id)) seen.push(item);

    expect(seen).toHaveLength(5);
    expect(await recordOf(budget, 'msg_01BatchSonnetCached')).toMatchObject({
      model: `${MODEL}${BATCH_MODEL_SUFFIX}`,
      cost: sonnetResult,
      estimated: false,
      cacheReadTokens: 5000,
      cacheWriteTokens: 2000,
    });
    expect(await recordOf(budget, 'msg_01BatchHaikuOneHour')).toMatchObject({
      model: 'claude-haiku-4-5@batch',
      cost: haikuResult,
    });
    expect(await spent(budget)).toEqual({ used: sonnetResult + haikuResult, reserved: 0 });
  });

  it('hands over exactly what the unwrapped SDK does', async () => {
    const bare: unknown[] = [];
    for await (const item of await client().messages.batches.results(batch.id)) bare.push(item);
    const wrapped: unknown[] = [];
    for await (const item of await wrapAnthropic(client(), testBudget()).messages.batches.results(batch.id))
      wrapped.push(item);
    expect(wrapped).toEqual(bare);
  });

  it('charges nothing twice when the results are read again', async () => {
    const budget = testBudget();
    const wrapped = wrapAnthropic(client(), budget);
    for (let round = 0; round < 2; round++) {
      for await (const _item of await wrapped.messages.batches.results(batch.id)) {
        // read all
      }
    }
    expect((await spent(budget)).used).toBe(sonnetResult + haikuResult);
  });

  it('records the results of beta batches too', async () => {
    const budget = testBudget();
    for await (const _item of await wrapAnthropic(client(), budget).beta.messages.batches.results(batch.id)) {
      // read all
    }
    expect((await spent(budget)).used).toBe(sonnetResult + haikuResult);
  });
});

describe('messages.batches.create', () => {
  const requests = Array.from({ length: 10 }, (_, index) => ({
    custom_id: `ticket-${index}`,
    params: {
      model: MODEL,
      max_tokens: 1000,
      messages: [{ role: 'user' as const, content: 'Classify: late delivery.' }],
    },
  }));
  /** One request's worst case at batch prices: the prompt counted conservatively, all of max_tokens. */
  const worstCase =
    nanoUsd(localTokens('Classify: late delivery.') + 4, SONNET_4_5.input / 2) +
    nanoUsd(1000, SONNET_4_5.output / 2);

  it('submits a batch whose worst case fits, and holds nothing while it runs', async () => {
    const budget = testBudget((worstCase * 10) / 1e9);
    const created = await wrapAnthropic(client(), budget).messages.batches.create({ requests });
    expect(created.id).toBe(batch.id);
    expect(received).toEqual([{ method: 'POST', path: '/v1/messages/batches' }]);
    expect(await spent(budget)).toEqual({ used: 0, reserved: 0 });
  });

  it('refuses a batch whose worst case does not fit, before sending it', async () => {
    const budget = testBudget((worstCase * 9.5) / 1e9);
    const error = await wrapAnthropic(client(), budget)
      .messages.batches.create({ requests })
      .catch((failure: unknown) => failure);
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    expect(received).toEqual([]);
    expect(await spent(budget)).toEqual({ used: 0, reserved: 0 });
  });
});

describe('batchModelId', () => {
  it('derives a half price once, and leaves a batch price the app set alone', () => {
    const budget = testBudget();
    expect(batchModelId(budget.catalog, 'anthropic', 'claude-sonnet-4-5-20250929')).toBe(
      'claude-sonnet-4-5@batch',
    );
    const derived = budget.catalog.resolve('anthropic', 'claude-sonnet-4-5@batch');
    expect(derived?.price.rates.input).toEqual({ nanoUsd: 1_500_000_000, per: 1_000_000 });
    expect(derived?.price.rates.webSearch).toEqual({ nanoUsd: 10_000_000_000, per: 1_000 });
    expect(derived?.price.tiers[0]?.rates.output).toEqual({ nanoUsd: 11_250_000_000, per: 1_000_000 });

    const own = testBudget(100, {
      prices: [
        {
          provider: 'anthropic',
          model: 'claude-haiku-4-5@batch',
          prices: { inputPerMTok: 0.4, outputPerMTok: 2 },
        },
      ],
    });
    expect(batchModelId(own.catalog, 'anthropic', 'claude-haiku-4-5')).toBe('claude-haiku-4-5@batch');
    expect(own.catalog.resolve('anthropic', 'claude-haiku-4-5@batch')?.price.rates.input).toEqual({
      nanoUsd: 400_000_000,
      per: 1_000_000,
    });
  });

  it('keeps the id of a model the catalog does not know (priced by the fallback layers, undiscounted)', () => {
    expect(batchModelId(testBudget().catalog, 'anthropic', 'claude-unknown-9')).toBe('claude-unknown-9');
  });
});
