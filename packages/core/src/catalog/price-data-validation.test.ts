import { createRequire } from 'node:module';
import type { Provider } from '@pydantic/genai-prices';
import { beforeAll, expect, it } from 'vitest';
import { withModelPrice } from './__fixtures__/price-data-server';
import { bundledPriceData } from './genai-prices-data';
import { parsePriceData } from './price-data-validation';
import { DEFAULT_PRICE_DATA_URL } from './price-update-options';

let bundled: Provider[];
beforeAll(async () => {
  bundled = await bundledPriceData();
});

it('accepts the bundled data, as genai-prices publishes it', () => {
  expect(parsePriceData(JSON.stringify(bundled))).toHaveLength(bundled.length);
});

it("defaults to genai-prices' own published data", () => {
  const library = createRequire(import.meta.url)('@pydantic/genai-prices');
  expect(DEFAULT_PRICE_DATA_URL).toBe(library.REMOTE_DATA_JSON_URL);
});

it.each([
  ['a negative price', { input_mtok: -1 }, /is not a non-negative price/],
  ['a price that is not a number', { input_mtok: '0.15' }, /is not a non-negative price/],
  ['tiers without a start', { input_mtok: { base: 1, tiers: [{ price: 2 }] } }, /without a valid start/],
])('refuses %s', (_, prices, reason) => {
  const data = withModelPrice(bundled, 'openai', 'gpt-4o-mini', prices as Record<string, number>);
  expect(() => parsePriceData(JSON.stringify(data))).toThrow(reason);
});

it('refuses a match rule that is not one, and a pattern that is no regular expression', () => {
  const data = structuredClone(bundled);
  data[0]!.models[0]!.match = { regex: '(' };
  expect(() => parsePriceData(JSON.stringify(data))).toThrow(/is not a valid regular expression/);
  data[0]!.models[0]!.match = { equals: 'a', contains: 'b' } as never;
  expect(() => parsePriceData(JSON.stringify(data))).toThrow(/is not one match rule/);
});

it('refuses data that lost most of its providers', () => {
  const few = bundled.filter((provider) =>
    ['openai', 'anthropic', 'mistral', 'google'].includes(provider.id),
  );
  expect(() => parsePriceData(JSON.stringify(few))).toThrow(/has only 4 providers/);
});
