import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error';
import { withModelPrice } from './__fixtures__/price-data-server';
import { bundledPriceData, restoreBundledPriceData } from './genai-prices-data';
import { loadPriceDataFile } from './load-price-data-file';
import { priceDataLayers } from './price-data-layers';
import { TOLLGATE_PRICES_AS_OF } from './tollgate-prices';
import { updatePriceData } from './update-price-data';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'tollgate-layers-'));
});
afterEach(async () => {
  await restoreBundledPriceData();
  rmSync(directory, { recursive: true, force: true });
});

it("dates tollgate's layer and the bundled data, and the cache file once loaded", async () => {
  const at = new Date('2026-12-01T00:00:00Z');
  const before = await priceDataLayers(at);
  expect(before.tollgate).toEqual({ asOf: TOLLGATE_PRICES_AS_OF });
  expect(before.bundled).toMatchObject({
    version: '0.1.8',
    newestPriceDate: expect.stringMatching(/^2026-/),
  });
  expect(before.bundled.models).toBeGreaterThan(500);
  expect(before.loaded).toBeUndefined();

  const path = join(directory, 'prices.json');
  writeFileSync(
    path,
    JSON.stringify(withModelPrice(await bundledPriceData(), 'openai', 'gpt-4o-mini', { input_mtok: 1 })),
  );
  const written = new Date('2026-11-30T12:00:00Z');
  utimesSync(path, written, written);
  expect(loadPriceDataFile(path)).toMatchObject({ path, retrievedAt: written.getTime(), inUse: true });
  expect((await priceDataLayers(at)).loaded).toMatchObject({
    source: 'cache-file',
    location: path,
    retrievedAt: written.getTime(),
    models: before.bundled.models,
  });
});

it('a missing cache file is no data; a bad one throws and changes nothing', async () => {
  expect(loadPriceDataFile(join(directory, 'none.json'))).toBeUndefined();
  const path = join(directory, 'bad.json');
  writeFileSync(path, '<html>');
  expect(() => loadPriceDataFile(path)).toThrow('the data is HTML, not JSON');
  expect((await priceDataLayers()).loaded).toBeUndefined();
});

it('updatePriceData never rejects for a failed fetch, and checks its options', async () => {
  const result = await updatePriceData({ url: 'http://127.0.0.1:9/data.json', timeoutMs: 5_000 });
  expect(result).toMatchObject({
    updated: false,
    url: 'http://127.0.0.1:9/data.json',
    error: expect.any(String),
  });
  await expect(
    updatePriceData({ url: 'http://user:secret@127.0.0.1:9/data.json?token=x', timeoutMs: 5_000 }),
  ).resolves.toMatchObject({
    url: 'http://127.0.0.1:9/data.json',
  });
  expect(() => updatePriceData({ timeOutMs: 1 } as never)).toThrow(ValidationError);
});
