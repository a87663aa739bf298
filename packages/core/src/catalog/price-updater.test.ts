import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Provider } from '@pydantic/genai-prices';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BudgetManager, createBudget } from '../budget/budget-manager';
import { ValidationError } from '../errors/validation-error';
import { createUsage } from '../usage';
import { TollgateWarning } from '../warnings/tollgate-warning';
import { type PriceDataServer, startPriceDataServer, withModelPrice } from './__fixtures__/price-data-server';
import { bundledPriceData, restoreBundledPriceData } from './genai-prices-data';
import type { PriceUpdateOptions } from './price-update-options';

// gpt-4o-mini in the bundled data: $0.15 / $0.60 per MTok; the served data doubles it.
const BUNDLED_INPUT_NANO_PER_TOKEN = 150;
const FRESH_INPUT_NANO_PER_TOKEN = 300;
const FRESH_OUTPUT_NANO_PER_TOKEN = 1_200;

let server: PriceDataServer;
let bundled: Provider[];
let freshText: string;
let directory: string;
const budgets: BudgetManager[] = [];

beforeAll(async () => {
  server = await startPriceDataServer();
  bundled = await bundledPriceData();
  freshText = JSON.stringify(
    withModelPrice(bundled, 'openai', 'gpt-4o-mini', {
      input_mtok: 0.3,
      cache_read_mtok: 0.15,
      output_mtok: 1.2,
    }),
  );
});

afterEach(async () => {
  for (const budget of budgets.splice(0)) await budget.close();
  await restoreBundledPriceData();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

afterAll(() => server.close());

function cacheFileIn(): string {
  directory = mkdtempSync(join(tmpdir(), 'tollgate-prices-'));
  return join(directory, 'nested', 'genai-prices.json');
}

function updatingBudget(update: PriceUpdateOptions): { budget: BudgetManager; warnings: TollgateWarning[] } {
  const warnings: TollgateWarning[] = [];
  const budget = createBudget({
    prices: { update: { url: server.url, ...update } },
    onWarning: (warning) => warnings.push(warning),
  });
  budgets.push(budget);
  return { budget, warnings };
}

/** The input price per token the gate holds for gpt-4o-mini now. */
async function gatedInputPrice(budget: BudgetManager): Promise<number> {
  const admission = await budget.gate({
    provider: 'openai',
    model: 'gpt-4o-mini',
    inputTokens: 1_000_000,
    maxOutputTokens: 0,
  });
  await admission.release();
  return admission.estimate.costNano / 1_000_000;
}

describe('prices.update', () => {
  it('puts fresh data in use for later calls; a call gated before settles at the price it was gated at', async () => {
    server.answer('hang');
    const cacheFile = cacheFileIn();
    const requests = server.requests;
    const { budget, warnings } = updatingBudget({ cacheFile });
    // The fetch started at creation and has no answer: the gate does not wait for it.
    await server.received(requests + 1);
    const before = await budget.gate({
      provider: 'openai',
      model: 'gpt-4o-mini',
      inputTokens: 1_000,
      maxOutputTokens: 100,
    });
    expect(before.estimate.costNano).toBe(1_000 * BUNDLED_INPUT_NANO_PER_TOKEN + 100 * 600);
    expect(server.hanging).toBe(1);

    server.answer({ body: freshText });
    const result = await budget.priceUpdates?.settled();
    expect(result).toMatchObject({ updated: true, cacheFile, changes: { changed: 1, added: 0, removed: 0 } });
    expect(await gatedInputPrice(budget)).toBe(FRESH_INPUT_NANO_PER_TOKEN);

    const settled = await before.settle({ usage: createUsage({ inputTokens: 1_000, outputTokens: 100 }) });
    expect(settled.cost.total).toBe(1_000 * BUNDLED_INPUT_NANO_PER_TOKEN + 100 * 600);
    const after = await budget.gate({
      provider: 'openai',
      model: 'gpt-4o-mini',
      inputTokens: 1_000,
      maxOutputTokens: 100,
    });
    const settledAfter = await after.settle({
      usage: createUsage({ inputTokens: 1_000, outputTokens: 100 }),
    });
    expect(settledAfter.cost.total).toBe(
      1_000 * FRESH_INPUT_NANO_PER_TOKEN + 100 * FRESH_OUTPUT_NANO_PER_TOKEN,
    );

    // Written whole, through a temporary file that is gone.
    expect(readFileSync(cacheFile, 'utf8')).toBe(freshText);
    expect(readdirSync(join(directory, 'nested'))).toEqual(['genai-prices.json']);
    expect(warnings).toEqual([]);
  });

  const rejected: [string, Parameters<PriceDataServer['answer']>[0], RegExp][] = [
    ['a truncated file', { body: '[{"id": "openai", "models": [' }, /not valid JSON/],
    [
      'an HTML error page',
      { contentType: 'text/html; charset=utf-8', body: '<!doctype html><h1>502</h1>' },
      /content type text\/html/,
    ],
    ['an HTML page served as text', { body: '<html><body>rate limited</body></html>' }, /HTML, not JSON/],
    ['a 500', { status: 500, body: 'internal error' }, /HTTP 500/],
    ['an empty list', { body: '[]' }, /no prices for openai/],
    ['a price that cannot be', { body: '' }, /implausible price/],
    ['a body over the size limit', { body: 'x'.repeat(2_000) }, /over the limit/],
  ];
  it.each(rejected)('keeps the previous data and warns on %s', async (_, answer, reason) => {
    const body =
      answer !== 'hang' && answer.body === ''
        ? JSON.stringify(
            withModelPrice(bundled, 'openai', 'gpt-4o-mini', { input_mtok: 1e9, output_mtok: 0.6 }),
          )
        : answer !== 'hang'
          ? answer.body
          : '';
    server.answer(answer === 'hang' ? answer : { ...answer, body });
    const { budget, warnings } = updatingBudget(
      answer !== 'hang' && answer.body.length === 2_000 ? { maxBytes: 1_000 } : {},
    );
    const result = await budget.priceUpdates?.settled();
    expect(result).toMatchObject({ updated: false, error: expect.stringMatching(reason) });
    expect(await gatedInputPrice(budget)).toBe(BUNDLED_INPUT_NANO_PER_TOKEN);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'TOLLGATE_PRICE_UPDATE', subject: server.url });
    expect(warnings[0]?.message).toMatch(reason);
    expect(TollgateWarning.isInstance(warnings[0])).toBe(true);
  });

  it('keeps fresh data when a later fetch brings bad data', async () => {
    server.answer({ body: freshText });
    const { budget, warnings } = updatingBudget({});
    expect(await budget.priceUpdates?.settled()).toMatchObject({ updated: true });
    server.answer({ status: 503, contentType: 'text/html', body: '<h1>unavailable</h1>' });
    expect(await budget.priceUpdates?.refresh()).toMatchObject({ updated: false });
    expect(await gatedInputPrice(budget)).toBe(FRESH_INPUT_NANO_PER_TOKEN);
    expect(warnings.map((warning) => warning.code)).toEqual(['TOLLGATE_PRICE_UPDATE']);
  });

  it('abandons a fetch that gets no answer: the gate runs at the bundled prices and a warning says why', async () => {
    server.answer('hang');
    const { budget, warnings } = updatingBudget({ timeoutMs: 50 });
    expect(await gatedInputPrice(budget)).toBe(BUNDLED_INPUT_NANO_PER_TOKEN);
    const result = await budget.priceUpdates?.settled();
    expect(result).toMatchObject({ updated: false, error: 'no complete answer within 50 ms' });
    expect(warnings.map((warning) => warning.message)).toEqual([
      `price data from ${server.url} was not used: no complete answer within 50 ms; the prices in use stay`,
    ]);
    expect(await gatedInputPrice(budget)).toBe(BUNDLED_INPUT_NANO_PER_TOKEN);
  });

  it('close() abandons a fetch under way, with no warning', async () => {
    server.answer('hang');
    const { budget, warnings } = updatingBudget({});
    const pending = budget.priceUpdates?.settled();
    await budget.close();
    expect(await pending).toMatchObject({ updated: false, error: 'the budget was closed' });
    expect(await budget.priceUpdates?.refresh()).toMatchObject({
      updated: false,
      error: 'the budget was closed',
    });
    expect(warnings).toEqual([]);
  });

  it('reads the cache file at start and fetches nothing while it is fresh', async () => {
    const cacheFile = cacheFileIn();
    server.answer({ body: freshText });
    const first = updatingBudget({ cacheFile });
    await first.budget.priceUpdates?.settled();
    await first.budget.close();
    await restoreBundledPriceData();
    const requests = server.requests;

    // Another start: no server needed (none would answer on port 9), the cache serves.
    const warnings: TollgateWarning[] = [];
    const budget = createBudget({
      prices: { update: { url: 'http://127.0.0.1:9/data.json', cacheFile, maxAgeHours: 24 } },
      onWarning: (warning) => warnings.push(warning),
    });
    budgets.push(budget);
    expect(await gatedInputPrice(budget)).toBe(FRESH_INPUT_NANO_PER_TOKEN);
    expect(await budget.priceUpdates?.settled()).toBeUndefined();
    expect(server.requests).toBe(requests);
    expect(warnings).toEqual([]);
  });

  it('fetches in the background when the cache file is older than maxAgeHours', async () => {
    const cacheFile = cacheFileIn();
    const stale = JSON.stringify(
      withModelPrice(bundled, 'openai', 'gpt-4o-mini', { input_mtok: 0.2, output_mtok: 0.8 }),
    );
    mkdirSync(join(directory, 'nested'));
    writeFileSync(cacheFile, stale);
    const twoDaysAgo = new Date(Date.now() - 48 * 3_600_000);
    utimesSync(cacheFile, twoDaysAgo, twoDaysAgo);

    server.answer('hang');
    const requests = server.requests;
    const { budget, warnings } = updatingBudget({ cacheFile, maxAgeHours: 24 });
    await server.received(requests + 1);
    // The stale cache serves while the fetch is under way.
    expect(await gatedInputPrice(budget)).toBe(200);
    expect(server.hanging).toBe(1);
    server.answer({ body: freshText });
    expect(await budget.priceUpdates?.settled()).toMatchObject({ updated: true });
    expect(await gatedInputPrice(budget)).toBe(FRESH_INPUT_NANO_PER_TOKEN);
    expect(warnings).toEqual([]);
  });

  it('ignores a corrupt cache file with a warning, and fetches', async () => {
    const cacheFile = cacheFileIn();
    server.answer({ body: freshText });
    const seed = updatingBudget({ cacheFile });
    await seed.budget.priceUpdates?.settled();
    await seed.budget.close();
    await restoreBundledPriceData();
    writeFileSync(cacheFile, freshText.slice(0, freshText.length / 2));

    server.answer('hang');
    const requests = server.requests;
    const { budget, warnings } = updatingBudget({ cacheFile });
    expect(warnings.map((warning) => [warning.code, warning.subject, warning.message])).toEqual([
      [
        'TOLLGATE_PRICE_UPDATE',
        cacheFile,
        `the price cache file ${cacheFile} was ignored: the data is not valid JSON; the bundled prices serve until fresh data is fetched`,
      ],
    ]);
    expect(await gatedInputPrice(budget)).toBe(BUNDLED_INPUT_NANO_PER_TOKEN);
    await server.received(requests + 1);
  });

  it('never lets arbitrary bytes served as the data break a gate', async () => {
    server.answer({ status: 404, body: 'not yet' });
    const { budget } = updatingBudget({ maxAgeHours: 24 });
    await budget.priceUpdates?.settled();
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2_000 }),
        fc.constantFrom('application/json', 'text/plain', 'application/octet-stream'),
        async (bytes, contentType) => {
          server.answer({ contentType, body: bytes });
          const result = await budget.priceUpdates?.refresh();
          expect(result?.updated).toBe(false);
          expect(await gatedInputPrice(budget)).toBe(BUNDLED_INPUT_NANO_PER_TOKEN);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('prices option', () => {
  it('still takes an array of the app prices, and takes them as entries beside update', async () => {
    const price = { provider: 'openai', model: 'my-tune', prices: { inputPerMTok: 1, outputPerMTok: 2 } };
    expect(createBudget({ prices: [price] }).catalog.resolve('openai', 'my-tune')?.source).toBe('user');
    expect(createBudget({ prices: { entries: [price] } }).catalog.resolve('openai', 'my-tune')?.source).toBe(
      'user',
    );
  });

  it.each([
    [{ entires: [] }, 'prices.entires', "did you mean 'entries'"],
    [{ update: { maxAgeHour: 1 } }, 'prices.update.maxAgeHour', "did you mean 'maxAgeHours'"],
    [{ update: { url: 'ftp://example.com/data.json' } }, 'prices.update.url', 'http or https'],
    [{ update: { maxAgeHours: 0 } }, 'prices.update.maxAgeHours', 'more than 0'],
    [{ update: { cacheFile: 42 } }, 'prices.update.cacheFile', 'file path'],
    [{ update: null }, 'prices.update', 'object'],
  ])('refuses %j', (prices, field, message) => {
    let error: unknown;
    try {
      createBudget({ prices: prices as never });
    } catch (caught) {
      error = caught;
    }
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ field });
    expect((error as Error).message).toContain(message);
  });
});
