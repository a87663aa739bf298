import { type Emulator, startEmulator } from '@tollgate/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { googleClient, nanoUsd, recordsOf, testBudget } from './google-test-support';
import { wrapGoogleGenAI } from './wrap-google-genai';

/**
 * Gemini API standard (paid tier) prices in USD per million tokens, text input, as published at
 * https://ai.google.dev/gemini-api/docs/pricing, and as the bundled `@pydantic/genai-prices` 0.1.8
 * has them (catalog as of 2026-12-06). Gemini 2.5 Pro charges a prompt above 200k tokens at its
 * long-context rates, for the whole call.
 */
const PUBLISHED = {
  'gemini-2.5-pro': { input: 1.25, cacheRead: 0.125, output: 10 },
  'gemini-2.5-flash': { input: 0.3, cacheRead: 0.03, output: 2.5 },
  'gemini-2.5-flash-lite': { input: 0.1, cacheRead: 0.01, output: 0.4 },
  'gemini-2.0-flash': { input: 0.1, cacheRead: 0.025, output: 0.4 },
} as const;
const GEMINI_2_5_PRO_ABOVE_200K = { input: 2.5, cacheRead: 0.25, output: 15 } as const;

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

/** One call whose usageMetadata reports these counts, and its record. */
async function recordOfCall(
  model: string,
  counts: { input: number; cached?: number; output: number; thoughts?: number },
) {
  const budget = testBudget(1_000);
  const headers: Record<string, string> = {
    'x-emulator-input-tokens': String(counts.input),
    'x-emulator-output-tokens': String(counts.output),
  };
  if (counts.cached !== undefined) headers['x-emulator-cached-tokens'] = String(counts.cached);
  if (counts.thoughts !== undefined) headers['x-emulator-reasoning-tokens'] = String(counts.thoughts);
  const ai = wrapGoogleGenAI(googleClient(emulator, headers), budget);
  await ai.models.generateContent({ model, contents: 'Summarise the attached report.' });
  const [record] = await recordsOf(budget);
  return record!;
}

describe('Gemini prices, against the published ones', () => {
  it.each(Object.entries(PUBLISHED))('%s: input, cached input, output and thoughts', async (model, price) => {
    const record = await recordOfCall(model, { input: 12_000, cached: 4_000, output: 700, thoughts: 300 });
    expect(record).toMatchObject({ catalogModel: model, priceSource: 'genai-prices', estimated: false });
    expect(record.cost).toBe(
      nanoUsd(12_000, price.input) + nanoUsd(4_000, price.cacheRead) + nanoUsd(700 + 300, price.output),
    );
  });

  it('gemini-2.5-pro: a prompt of 200k tokens is charged at the base rates', async () => {
    const record = await recordOfCall('gemini-2.5-pro', { input: 200_000, output: 1_000 });
    const price = PUBLISHED['gemini-2.5-pro'];
    expect(record.cost).toBe(nanoUsd(200_000, price.input) + nanoUsd(1_000, price.output));
  });

  it('gemini-2.5-pro: a prompt above 200k tokens is charged at the long-context rates, output included', async () => {
    const record = await recordOfCall('gemini-2.5-pro', { input: 230_000, cached: 20_000, output: 1_000 });
    const price = GEMINI_2_5_PRO_ABOVE_200K;
    expect(record.cost).toBe(
      nanoUsd(230_000, price.input) + nanoUsd(20_000, price.cacheRead) + nanoUsd(1_000, price.output),
    );
    // $0.575 + $0.005 + $0.015
    expect(record.cost).toBe(595_000_000);
  });

  it('gemini-embedding-001: $0.15 per million input tokens', async () => {
    const budget = testBudget();
    const ai = wrapGoogleGenAI(googleClient(emulator, { 'x-emulator-input-tokens': '10000' }), budget);
    await ai.models.embedContent({ model: 'gemini-embedding-001', contents: 'a document' });
    const [record] = await recordsOf(budget);
    expect(record!.cost).toBe(nanoUsd(10_000, 0.15));
  });
});
