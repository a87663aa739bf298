import { describe, expect, it } from 'vitest';
import { runTollgate } from '../testing/run-tollgate';
import { temporaryDirectory } from '../testing/temporary-directory';

describe('tollgate prices', () => {
  it('lists a model with its prices per million tokens, as text and JSON', async () => {
    const json = await runTollgate(['prices', 'gpt-4o-mini', '--provider', 'openai', '--json']);
    expect(json.code).toBe(0);
    const { prices } = JSON.parse(json.stdout);
    const row = prices.find((price: { model: string }) => price.model === 'gpt-4o-mini');
    expect(row).toMatchObject({
      provider: 'openai',
      service: 'llm',
      source: 'genai-prices',
      local: false,
      prices: { inputPerMTok: 0.15, outputPerMTok: 0.6, cacheReadPerMTok: 0.075 },
    });
    for (const price of prices) expect(price.model).toContain('gpt-4o-mini');

    const text = await runTollgate(['prices', 'gpt-4o-mini', '--provider', 'openai']);
    expect(text.code).toBe(0);
    const line = text.stdout.split('\n').find((candidate) => /\bgpt-4o-mini\s+llm\b/.test(candidate));
    expect(line).toMatch(
      /openai\s+gpt-4o-mini\s+llm\s+\$0\.15\s+\$0\.60\s+\$0\.075\s+—\s+—\s+—\s+genai-prices/,
    );
    expect(text.stdout.split('\n')[0]).toMatch(
      /provider\s+model\s+service\s+input\/MTok\s+output\/MTok\s+cache read\/MTok\s+cache write\/MTok\s+audio\/min\s+chars\/M\s+source/,
    );
  });

  it("shows tollgate's own per-minute and per-character prices", async () => {
    const run = await runTollgate(['prices', '--json', '--provider', 'mistral', 'voxtral']);
    const { prices } = JSON.parse(run.stdout);
    expect(prices.find((price: { model: string }) => price.model === 'voxtral-mini-2507')).toMatchObject({
      service: 'stt',
      source: 'tollgate',
      prices: { perAudioMinute: 0.001 },
      rates: { audio: { nanoUsd: expect.any(Number), per: expect.any(Number) } },
    });
    const speech = await runTollgate(['prices', 'tts-1']);
    expect(speech.stdout).toMatch(/openai\s+tts-1\s+tts\s+—\s+—\s+—\s+—\s+—\s+\$15\.00\s+tollgate/);
  });

  it('resolves a dated id to its catalog model, and says when nothing matches', async () => {
    const dated = await runTollgate(['prices', 'claude-sonnet-4-5-20250929', '--json']);
    const datedRows = JSON.parse(dated.stdout).prices;
    // Anthropic's own, and Google's (Claude on Vertex AI, as the AI SDK records it).
    expect(datedRows).toContainEqual(
      expect.objectContaining({ provider: 'anthropic', model: 'claude-sonnet-4-5' }),
    );
    for (const row of datedRows) expect(row.model).toBe('claude-sonnet-4-5');
    const none = await runTollgate(['prices', 'no-such-model-anywhere']);
    expect(none.code).toBe(0);
    expect(none.stdout.split('\n')[0]).toBe('no price found for "no-such-model-anywhere"');
    // The as-of lines of the price layers follow, found or not.
    expect(none.stdout).toContain(
      "\nprice layers (first match wins: the config's prices, tollgate's own, then genai-prices)\n",
    );
  });

  it('finds by name a model of every provider an adapter records, and one whose id names its provider', async () => {
    const gemini = await runTollgate(['prices', 'gemini-2.5-flash', '--json']);
    expect(gemini.code).toBe(0);
    expect(JSON.parse(gemini.stdout).prices).toContainEqual(
      expect.objectContaining({
        provider: 'google',
        model: 'gemini-2.5-flash',
        service: 'llm',
        prices: expect.objectContaining({ inputPerMTok: 0.3, outputPerMTok: 2.5 }),
      }),
    );
    const text = await runTollgate(['prices', 'gemini-2.5-flash']);
    expect(text.stdout).not.toContain('no price found');
    expect(text.stdout).toMatch(/google\s+gemini-2\.5-flash\s+llm\s+\$0\.30\s+\$2\.50/);
    // Not listed without --provider, but the id tells which provider prices it (as for estimate).
    const deepseek = await runTollgate(['prices', 'deepseek-chat', '--json']);
    expect(JSON.parse(deepseek.stdout).prices).toMatchObject([
      { provider: 'deepseek', model: 'deepseek-chat' },
    ]);
  });

  it("lists the providers of tollgate's adapters, and tollgate's own entries, when given no model", async () => {
    const run = await runTollgate(['prices', '--json']);
    expect(run.code).toBe(0);
    const rows: { provider: string; source: string }[] = JSON.parse(run.stdout).prices;
    const listed = new Set(rows.filter((row) => row.source === 'genai-prices').map((row) => row.provider));
    expect([...listed].sort()).toEqual(['anthropic', 'google', 'mistral', 'openai']);
    expect(rows.some((row) => row.source === 'tollgate')).toBe(true);
  });

  it('names a provider the price data does not know, with the one likely meant', async () => {
    const typo = await runTollgate(['prices', '--provider', 'antropic']);
    expect(typo.code).toBe(0);
    expect(typo.stdout.split('\n')[0]).toBe(
      `no price found: no provider "antropic" in the price data (did you mean 'anthropic'?)`,
    );
    const unknown = await runTollgate(['prices', 'gpt-4o', '--provider', 'acme-ai']);
    expect(unknown.stdout.split('\n')[0]).toBe(
      'no price found for "gpt-4o": no provider "acme-ai" in the price data',
    );
    // A known provider without the model says only that.
    const known = await runTollgate(['prices', 'no-such-model', '--provider', 'openai']);
    expect(known.stdout.split('\n')[0]).toBe('no price found for "no-such-model"');
  });

  it('filters by service and needs no store', async () => {
    const empty = temporaryDirectory();
    try {
      const run = await runTollgate(['prices', '--service', 'embedding', '--json'], { cwd: empty.path });
      expect(run.code).toBe(0);
      const { prices } = JSON.parse(run.stdout);
      expect(prices.length).toBeGreaterThan(0);
      for (const price of prices) expect(price.service).toBe('embedding');
    } finally {
      empty.remove();
    }
  });
});
