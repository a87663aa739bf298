import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calculateCost } from '../cost/calculate-cost';
import { priceUsage } from '../cost/price-usage';
import { ValidationError } from '../errors/validation-error';
import { createUsage, type UsageInput } from '../usage';
import type { PriceComponent, ResolvedPrice } from './model-price';
import { PriceCatalog, type UserPrice } from './price-catalog';
import { TOLLGATE_PRICES_AS_OF } from './tollgate-prices';

/** Price keys of the fixture, in the providers' own units. */
interface FixturePrices {
  inputPerMTok?: number;
  outputPerMTok?: number;
  cacheReadPerMTok?: number;
  cacheWrite5mPerMTok?: number;
  cacheWrite1hPerMTok?: number;
  audioInputPerMTok?: number;
  audioOutputPerMTok?: number;
  perAudioMinute?: number;
  perMillionCharacters?: number;
  perThousandCharacters?: number;
  perImage?: number;
  perThousandPages?: number;
  perThousandWebSearches?: number;
}

interface FixtureModel {
  provider: string;
  model: string;
  ids?: string[];
  service: string;
  at?: string;
  local?: boolean;
  reasoning?: boolean;
  prices: FixturePrices;
  tiers?: { aboveInputTokens: number; prices: FixturePrices }[];
  usage?: UsageInput;
}

interface PriceFixture {
  asOf: string;
  models: FixtureModel[];
}

const fixture = JSON.parse(
  readFileSync(new URL('./__fixtures__/public-prices-2026-11.json', import.meta.url), 'utf8'),
) as PriceFixture;

/** What each fixture key charges and how many units (tokens, ms, characters, …) its amount is for. */
const FIXTURE_UNITS: Record<keyof FixturePrices, { component: PriceComponent; units: number }> = {
  inputPerMTok: { component: 'input', units: 1_000_000 },
  outputPerMTok: { component: 'output', units: 1_000_000 },
  cacheReadPerMTok: { component: 'cacheRead', units: 1_000_000 },
  cacheWrite5mPerMTok: { component: 'cacheWrite', units: 1_000_000 },
  cacheWrite1hPerMTok: { component: 'cacheWrite1h', units: 1_000_000 },
  audioInputPerMTok: { component: 'inputAudio', units: 1_000_000 },
  audioOutputPerMTok: { component: 'outputAudio', units: 1_000_000 },
  perAudioMinute: { component: 'audio', units: 60_000 },
  perMillionCharacters: { component: 'character', units: 1_000_000 },
  perThousandCharacters: { component: 'character', units: 1_000 },
  perImage: { component: 'image', units: 1 },
  perThousandPages: { component: 'page', units: 1_000 },
  perThousandWebSearches: { component: 'webSearch', units: 1_000 },
};
const TOKEN_COMPONENTS: PriceComponent[] = ['input', 'output', 'cacheRead', 'cacheWrite', 'cacheWrite1h'];

/** A decimal USD amount from the fixture as exact nano-USD (independent of usdToNano). */
function nano(usd: number): bigint {
  const [mantissa = '0', exponent = '0'] = String(usd).split('e');
  const [whole = '0', fraction = ''] = mantissa.split('.');
  const shift = 9 - fraction.length + Number(exponent);
  if (shift < 0) throw new Error(`fixture price ${usd} has more than nine decimals`);
  return BigInt(whole + fraction) * 10n ** BigInt(shift);
}

function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  const whole = numerator / denominator;
  return (numerator % denominator) * 2n >= denominator ? whole + 1n : whole;
}

/** The resolved rates of the components the fixture lists, as nano-USD per the fixture's unit group. */
function resolvedPerGroup(
  rates: ResolvedPrice['price']['rates'],
  prices: FixturePrices,
): Record<string, number> {
  const result: Record<string, number> = {};
  for (const key of Object.keys(prices) as (keyof FixturePrices)[]) {
    const { component, units } = FIXTURE_UNITS[key];
    const rate = rates[component];
    if (!rate) {
      result[key] = Number.NaN;
      continue;
    }
    const numerator = BigInt(rate.nanoUsd) * BigInt(units);
    // A rate that is not a whole number of nano-USD per group shows up as a fraction.
    result[key] =
      numerator % BigInt(rate.per) === 0n
        ? Number(numerator / BigInt(rate.per))
        : Number(numerator) / rate.per;
  }
  return result;
}

function expectedPerGroup(prices: FixturePrices): Record<string, number> {
  return Object.fromEntries(Object.entries(prices).map(([key, usd]) => [key, Number(nano(usd))]));
}

/** The usage each fixture model is priced with, unless the fixture gives its own. */
function usageFor(model: FixtureModel): UsageInput {
  if (model.usage) return model.usage;
  switch (model.service) {
    case 'llm':
      return {
        inputTokens: 120_000,
        cacheReadTokens: 40_000,
        ...(model.prices.cacheWrite5mPerMTok ? { cacheWriteTokens: 20_000, cacheWrite1hTokens: 5_000 } : {}),
        outputTokens: 6_000,
        ...(model.reasoning ? { reasoningTokens: 4_000 } : {}),
        ...(model.prices.perThousandWebSearches ? { webSearches: 3 } : {}),
      };
    case 'embedding':
      return { inputTokens: 250_000 };
    case 'stt':
      return { audioSeconds: 150.5 };
    case 'tts':
      return { characters: 12_345 };
    case 'image':
      return { images: 3 };
    case 'ocr':
      return { pages: 1_234 };
    default:
      throw new Error(`no usage for service ${model.service}`);
  }
}

/**
 * The cost of a usage under the fixture's prices, line by line, each line rounded half up:
 * cache reads and writes without their own price are charged as input, audio tokens
 * without their own price as text, reasoning tokens as output.
 */
function referenceCost(model: FixtureModel, usage: UsageInput): bigint {
  if (model.local) return 0n;
  const inputTokens = usage.inputTokens ?? 0;
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const cacheWrite1h = usage.cacheWrite1hTokens ?? 0;
  const inputAudio = usage.inputAudioTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  const outputAudio = usage.outputAudioTokens ?? 0;
  const inputTotal = inputTokens + cacheRead + cacheWrite;
  let prices = model.prices;
  for (const tier of [...(model.tiers ?? [])].sort((a, b) => a.aboveInputTokens - b.aboveInputTokens)) {
    if (inputTotal > tier.aboveInputTokens) prices = { ...model.prices, ...tier.prices };
  }
  let total = 0n;
  const line = (units: number, usd: number | undefined, group: number, what: string) => {
    if (units === 0) return;
    if (usd === undefined)
      throw new Error(
        `${model.provider}/${model.model}: the test usage has ${what} but the fixture no price`,
      );
    total += roundHalfUp(BigInt(units) * nano(usd), BigInt(group));
  };
  const perMTok = 1_000_000;
  line(inputTokens - inputAudio, prices.inputPerMTok, perMTok, 'input tokens');
  line(inputAudio, prices.audioInputPerMTok ?? prices.inputPerMTok, perMTok, 'audio input');
  line(cacheRead, prices.cacheReadPerMTok ?? prices.inputPerMTok, perMTok, 'cache reads');
  line(cacheWrite - cacheWrite1h, prices.cacheWrite5mPerMTok ?? prices.inputPerMTok, perMTok, 'cache writes');
  line(
    cacheWrite1h,
    prices.cacheWrite1hPerMTok ?? prices.cacheWrite5mPerMTok ?? prices.inputPerMTok,
    perMTok,
    '1h writes',
  );
  line(output - outputAudio, prices.outputPerMTok, perMTok, 'output tokens');
  line(outputAudio, prices.audioOutputPerMTok ?? prices.outputPerMTok, perMTok, 'audio output');
  line(Math.round((usage.audioSeconds ?? 0) * 1000), prices.perAudioMinute, 60_000, 'audio');
  if (prices.perThousandCharacters !== undefined)
    line(usage.characters ?? 0, prices.perThousandCharacters, 1_000, 'characters');
  else line(usage.characters ?? 0, prices.perMillionCharacters, 1_000_000, 'characters');
  line(usage.images ?? 0, prices.perImage, 1, 'images');
  line(usage.pages ?? 0, prices.perThousandPages, 1_000, 'pages');
  line(usage.webSearches ?? 0, prices.perThousandWebSearches, 1_000, 'web searches');
  return total;
}

function atOf(model: FixtureModel): Date {
  return new Date(`${model.at ?? fixture.asOf}T00:00:00Z`);
}

const labelled = fixture.models.map(
  (model) => [`${model.provider}/${model.model}${model.at ? ` at ${model.at}` : ''}`, model] as const,
);

describe('the public price fixture', () => {
  it('covers at least 30 models across the six providers, as of the catalog date', () => {
    expect(fixture.asOf).toBe('2026-11-01');
    expect(TOLLGATE_PRICES_AS_OF).toBe(fixture.asOf);
    expect(fixture.models.length).toBeGreaterThanOrEqual(30);
    expect(new Set(fixture.models.map((model) => model.provider))).toEqual(
      new Set(['anthropic', 'openai', 'mistral', 'qwen', 'ibm_watson', 'ollama']),
    );
  });

  describe.each(labelled)('%s', (_label, model) => {
    const catalog = new PriceCatalog();
    const ids = [model.model, ...(model.ids ?? [])];

    it.each(ids)('resolves %s to the public rates', (id) => {
      const resolved = catalog.resolve(model.provider, id, atOf(model));
      expect(resolved).toBeDefined();
      if (!resolved) return;
      expect(resolved.service).toBe(model.service);
      expect(resolved.local).toBe(model.local === true);
      expect(resolvedPerGroup(resolved.price.rates, model.prices)).toEqual(expectedPerGroup(model.prices));
      if (model.service === 'llm') {
        const charged = TOKEN_COMPONENTS.filter((component) => resolved.price.rates[component] !== undefined);
        const listed = TOKEN_COMPONENTS.filter((component) =>
          Object.keys(model.prices).some(
            (key) => FIXTURE_UNITS[key as keyof FixturePrices].component === component,
          ),
        );
        expect(charged).toEqual(listed);
      }
      const tiers = model.tiers ?? [];
      expect(resolved.price.tiers.map((tier) => tier.aboveInputTokens)).toEqual(
        tiers.map((tier) => tier.aboveInputTokens),
      );
      for (const [index, tier] of tiers.entries()) {
        expect(resolvedPerGroup(resolved.price.tiers[index]!.rates, tier.prices)).toEqual(
          expectedPerGroup(tier.prices),
        );
      }
    });

    it('prices a fixed usage exactly', () => {
      const usageInput = usageFor(model);
      const expected = Number(referenceCost(model, usageInput));
      const usage = createUsage(usageInput);
      for (const id of ids) {
        const resolved = catalog.resolve(model.provider, id, atOf(model))!;
        const cost = calculateCost(usage, resolved);
        expect(cost.total).toBe(expected);
        expect(cost.unpriced).toEqual([]);
        const priced = priceUsage(catalog, { provider: model.provider, model: id, usage, at: atOf(model) });
        expect(priced.total).toBe(expected);
        expect(priced.source).toBe(resolved.source);
      }
      if (!model.local) expect(expected).toBeGreaterThan(0);
    });
  });
});

describe('PriceCatalog.resolve', () => {
  const catalog = new PriceCatalog();
  const at = new Date('2026-11-01T00:00:00Z');

  it('charges Anthropic 5-minute and 1-hour cache writes and cache reads at their own rates', () => {
    const resolved = catalog.resolve('anthropic', 'claude-sonnet-4-5-20250929', at)!;
    // 1,000 uncached, 10,000 read, 5,000 written (2,000 of them for an hour), 500 out:
    // $0.003 + $0.003 + 3,000 × $3.75/M + 2,000 × $6/M + $0.0075 = $0.03675
    const usage = createUsage({
      inputTokens: 1_000,
      cacheReadTokens: 10_000,
      cacheWriteTokens: 5_000,
      cacheWrite1hTokens: 2_000,
      outputTokens: 500,
    });
    const cost = calculateCost(usage, resolved);
    expect(cost.total).toBe(36_750_000);
    expect(cost.lines.map((line) => [line.component, line.units, line.cost])).toEqual([
      ['input', 1_000, 3_000_000],
      ['cacheRead', 10_000, 3_000_000],
      ['cacheWrite', 3_000, 11_250_000],
      ['cacheWrite1h', 2_000, 12_000_000],
      ['output', 500, 7_500_000],
    ]);
  });

  it('bills reasoning tokens as output (o3, o4-mini, gpt-5)', () => {
    const usage = createUsage({ inputTokens: 1_000, outputTokens: 10_000, reasoningTokens: 9_000 });
    // o3: 1,000 × $2/M + 10,000 × $8/M = $0.082
    expect(calculateCost(usage, catalog.resolve('openai', 'o3', at)!).total).toBe(82_000_000);
    // o4-mini: 1,000 × $1.10/M + 10,000 × $4.40/M = $0.0451
    expect(calculateCost(usage, catalog.resolve('openai', 'o4-mini', at)!).total).toBe(45_100_000);
    // gpt-5: 1,000 × $1.25/M + 10,000 × $10/M = $0.10125
    expect(calculateCost(usage, catalog.resolve('openai', 'gpt-5', at)!).total).toBe(101_250_000);
    const withoutReasoning = createUsage({ inputTokens: 1_000, outputTokens: 10_000 });
    expect(calculateCost(withoutReasoning, catalog.resolve('openai', 'o3', at)!).total).toBe(82_000_000);
  });

  it('applies the long-context tier of claude-sonnet-4-5 to the whole call above 200K input tokens', () => {
    const resolved = catalog.resolve('anthropic', 'claude-sonnet-4-5', at)!;
    expect(resolved.price.tiers.map((tier) => tier.aboveInputTokens)).toEqual([200_000]);
    const cost = (inputTokens: number) =>
      calculateCost(createUsage({ inputTokens, outputTokens: 1_000 }), resolved).total;
    expect(cost(200_000)).toBe(615_000_000); // 200,000 × $3/M + 1,000 × $15/M
    expect(cost(200_001)).toBe(1_222_506_000); // 200,001 × $6/M + 1,000 × $22.50/M
    // Cached input counts toward the threshold too.
    const cached = createUsage({ inputTokens: 150_000, cacheReadTokens: 60_000, outputTokens: 0 });
    expect(calculateCost(cached, resolved).total).toBe(150_000 * 6_000 + 60_000 * 600);
  });

  it('tiers qwen3-max by the input length of the call', () => {
    const resolved = catalog.resolve('qwen', 'qwen3-max', at)!;
    expect(resolved.price.tiers.map((tier) => tier.aboveInputTokens)).toEqual([32_768, 131_072]);
    const cost = (inputTokens: number) =>
      calculateCost(createUsage({ inputTokens, outputTokens: 1_000 }), resolved).total;
    expect(cost(32_768)).toBe(32_768 * 1_200 + 1_000 * 6_000);
    expect(cost(32_769)).toBe(32_769 * 2_400 + 1_000 * 12_000);
    expect(cost(131_073)).toBe(131_073 * 3_000 + 1_000 * 15_000);
    // qwen-max is a different model at a different price.
    expect(catalog.resolve('qwen', 'qwen-max', at)!.price.rates.input).toEqual({
      nanoUsd: 1_600_000_000,
      per: 1_000_000,
    });
  });

  it('has no tiers where the price does not depend on the input length', () => {
    for (const [provider, model] of [
      ['openai', 'gpt-4o'],
      ['openai', 'gpt-5'],
      ['anthropic', 'claude-haiku-4-5'],
      ['mistral', 'mistral-large-latest'],
    ] as const) {
      expect(catalog.resolve(provider, model, at)!.price.tiers).toEqual([]);
    }
  });

  it('prices audio seconds, characters, pages and images', () => {
    const price = (provider: string, model: string, usage: UsageInput) =>
      calculateCost(createUsage(usage), catalog.resolve(provider, model, at)!).total;
    expect(price('openai', 'whisper-1', { audioSeconds: 90 })).toBe(9_000_000); // $0.006/min
    expect(price('mistral', 'voxtral-mini-2507', { audioSeconds: 90 })).toBe(1_500_000); // $0.001/min
    expect(price('mistral', 'voxtral-small-latest', { audioSeconds: 90 })).toBe(6_000_000); // $0.004/min
    expect(price('ibm_watson', 'speech-to-text', { audioSeconds: 90 })).toBe(30_000_000); // $0.02/min
    expect(price('openai', 'tts-1', { characters: 1_000 })).toBe(15_000_000); // $15/M characters
    expect(price('openai', 'tts-1-hd', { characters: 1_000 })).toBe(30_000_000); // $30/M characters
    expect(price('ibm_watson', 'text-to-speech', { characters: 1_000 })).toBe(20_000_000); // $0.02 per 1,000
    expect(price('mistral', 'mistral-ocr-2505', { pages: 1_000 })).toBe(1_000_000_000); // $1 per 1,000 pages
    expect(price('openai', 'dall-e-3', { images: 2 })).toBe(80_000_000); // $0.04 an image
  });

  it('moves mistral-ocr-latest between OCR versions by date', () => {
    const pageRate = (date: string) => {
      const resolved = catalog.resolve('mistral', 'mistral-ocr-latest', new Date(date))!;
      expect(resolved.service).toBe('ocr');
      return calculateCost(createUsage({ pages: 1_000 }), resolved).total;
    };
    expect(pageRate('2025-06-01T00:00:00Z')).toBe(1_000_000_000); // mistral-ocr-2505, $1 per 1,000 pages
    expect(pageRate('2026-01-15T00:00:00Z')).toBe(2_000_000_000); // mistral-ocr-2512, $2 per 1,000 pages
    expect(pageRate('2026-11-01T00:00:00Z')).toBeGreaterThanOrEqual(2_000_000_000);
  });

  it('follows dated price changes of the bundled data and of tollgate layer', () => {
    const o3 = (date: string) => catalog.resolve('openai', 'o3', new Date(date))!.price.rates;
    expect(o3('2025-05-01T00:00:00Z').input).toEqual({ nanoUsd: 10_000_000_000, per: 1_000_000 });
    expect(o3('2025-05-01T00:00:00Z').output).toEqual({ nanoUsd: 40_000_000_000, per: 1_000_000 });
    expect(o3('2025-06-10T00:00:00Z').input).toEqual({ nanoUsd: 2_000_000_000, per: 1_000_000 });
    const voxtralOutput = (date: string) =>
      catalog.resolve('mistral', 'voxtral-small-latest', new Date(date))!.price.rates.output;
    expect(voxtralOutput('2026-08-10T23:59:59Z')).toEqual({ nanoUsd: 300_000_000, per: 1_000_000 });
    expect(voxtralOutput('2026-08-11T00:00:00Z')).toEqual({ nanoUsd: 400_000_000, per: 1_000_000 });
  });

  it('resolves dated ids and aliases to the canonical model', () => {
    const resolve = (provider: string, model: string) => catalog.resolve(provider, model, at)!;
    expect(resolve('anthropic', 'claude-sonnet-4-5-20250929').model).toBe('claude-sonnet-4-5');
    expect(resolve('anthropic', 'claude-sonnet-4-5-20250929').price).toEqual(
      resolve('anthropic', 'claude-sonnet-4-5').price,
    );
    expect(resolve('openai', 'gpt-4o-2024-08-06').model).toBe('gpt-4o');
    expect(resolve('openai', 'gpt-4o-2024-08-06').price).toEqual(resolve('openai', 'gpt-4o').price);
    // gpt-4o-2024-05-13 is its own snapshot with its own, higher price.
    expect(resolve('openai', 'gpt-4o-2024-05-13').price.rates.input).toEqual({
      nanoUsd: 5_000_000_000,
      per: 1_000_000,
    });
    // Mistral Large 2.1 by its dated id; `-latest` is Mistral Large 3, mistral-large-2512 (tollgate's layer repairs the stale alias).
    expect(resolve('mistral', 'mistral-large-2411').price.rates.input).toEqual({
      nanoUsd: 2_000_000_000,
      per: 1_000_000,
    });
    expect(resolve('mistral', 'mistral-large-latest').source).toBe('tollgate');
    expect(resolve('mistral', 'mistral-large-latest').price.rates.input).toEqual({
      nanoUsd: 500_000_000,
      per: 1_000_000,
    });
    expect(resolve('mistral', 'mistral-large-2512').model).toBe('mistral-large-latest');
    // Dated ids of tollgate's own entries resolve through the date suffix.
    expect(resolve('qwen', 'qwen3-max-2025-09-23').model).toBe('qwen3-max');
    // Ids are case-insensitive.
    expect(resolve('OpenAI', 'GPT-4o').price).toEqual(resolve('openai', 'gpt-4o').price);
  });

  it('prices Ollama at $0 and marks it local, whatever the model', () => {
    for (const model of ['llama3.2', 'qwen2.5:7b', 'some-model-nobody-published']) {
      const resolved = catalog.resolve('ollama', model, at)!;
      expect(resolved.local).toBe(true);
      expect(resolved.provider).toBe('ollama');
      const cost = calculateCost(createUsage({ inputTokens: 1_000_000, outputTokens: 1_000_000 }), resolved);
      expect(cost.total).toBe(0);
    }
    expect(catalog.resolve('openai', 'gpt-4o', at)!.local).toBe(false);
  });

  it('knows worst-case output sizes per model family', () => {
    expect(catalog.resolve('openai', 'gpt-4o', at)!.maxOutputTokens).toBe(16_384);
    expect(catalog.resolve('anthropic', 'claude-sonnet-4-5', at)!.maxOutputTokens).toBe(64_000);
    expect(catalog.resolve('anthropic', 'claude-opus-4-1', at)!.maxOutputTokens).toBe(32_000);
    expect(catalog.resolve('openai', 'o3', at)!.maxOutputTokens).toBe(100_000);
    expect(catalog.resolve('qwen', 'qwen3-max', at)!.maxOutputTokens).toBe(65_536);
    // A Gemini call without maxOutputTokens holds what the model can write, not the 8,192 default.
    expect(catalog.resolve('google', 'gemini-2.5-pro', at)!.maxOutputTokens).toBe(65_536);
    expect(catalog.resolve('google', 'gemini-2.5-flash', at)!.maxOutputTokens).toBe(65_536);
    expect(catalog.resolve('google', 'gemini-2.0-flash', at)!.maxOutputTokens).toBe(8_192);
    expect(catalog.resolve('deepseek', 'deepseek-reasoner', at)!.maxOutputTokens).toBe(65_536);
  });

  it('returns undefined for a model no layer knows', () => {
    expect(catalog.resolve('openai', 'gpt-nonexistent-9', at)).toBeUndefined();
    expect(catalog.resolve('acme', 'model-x', at)).toBeUndefined();
    // A known model under another provider is not borrowed.
    expect(catalog.resolve('qwen', 'gpt-4o', at)).toBeUndefined();
  });

  it('validates its arguments', () => {
    const fieldOf = (call: () => unknown) => {
      try {
        call();
      } catch (error) {
        expect(ValidationError.isInstance(error)).toBe(true);
        return (error as ValidationError).field;
      }
      throw new Error('expected a ValidationError');
    };
    expect(fieldOf(() => catalog.resolve('', 'gpt-4o'))).toBe('provider');
    expect(fieldOf(() => catalog.resolve('openai', ''))).toBe('model');
    expect(fieldOf(() => catalog.resolve('openai', '$where'))).toBe('model');
    expect(fieldOf(() => catalog.resolve('openai', 'x'.repeat(300)))).toBe('model');
    expect(fieldOf(() => catalog.resolve('openai', 'gpt-4o', new Date('not a date')))).toBe('at');
  });
});

describe('user prices', () => {
  const at = new Date('2026-11-01T00:00:00Z');
  const perToken = (usd: number) => ({ nanoUsd: usd * 1_000_000_000, per: 1_000_000 });

  it('adds a model no other layer knows', () => {
    const catalog = new PriceCatalog();
    catalog.setPrice({
      provider: 'acme',
      model: 'acme-chat-ft',
      prices: { inputPerMTok: 0.8, outputPerMTok: 3.2 },
      aliases: ['acme-chat-ft-v2'],
      maxOutputTokens: 4_096,
    });
    const resolved = catalog.resolve('acme', 'acme-chat-ft-v2', at)!;
    expect(resolved.source).toBe('user');
    expect(resolved.model).toBe('acme-chat-ft');
    expect(resolved.service).toBe('llm');
    expect(resolved.maxOutputTokens).toBe(4_096);
    expect(calculateCost(createUsage({ inputTokens: 10_000, outputTokens: 1_000 }), resolved).total).toBe(
      11_200_000,
    );
  });

  it('replaces a public price with a negotiated discount, dated ids included', () => {
    const catalog = new PriceCatalog({
      prices: [{ provider: 'openai', model: 'gpt-4o', prices: { inputPerMTok: 2, outputPerMTok: 8 } }],
    });
    for (const id of ['gpt-4o', 'gpt-4o-2024-08-06']) {
      const resolved = catalog.resolve('openai', id, at)!;
      expect(resolved.source).toBe('user');
      expect(resolved.price.rates.input).toEqual(perToken(2));
      // Cached tokens have no price of their own in the override: charged as input.
      expect(resolved.price.rates.cacheRead).toBeUndefined();
    }
    catalog.setPrice({
      provider: 'openai',
      model: 'gpt-4o',
      prices: { inputPerMTok: 1.5, outputPerMTok: 6 },
    });
    expect(catalog.resolve('openai', 'gpt-4o', at)!.price.rates.input).toEqual(perToken(1.5));
    // Other models keep the public price.
    expect(catalog.resolve('openai', 'gpt-4o-mini', at)!.source).toBe('genai-prices');
  });

  it('applies a price with effectiveFrom only from that date', () => {
    const catalog = new PriceCatalog();
    catalog.setPrice({
      provider: 'openai',
      model: 'gpt-4o',
      prices: { inputPerMTok: 2, outputPerMTok: 8 },
      effectiveFrom: '2026-12-01',
    });
    const before = new Date('2026-11-30T23:59:59.999Z');
    const from = new Date('2026-12-01T00:00:00Z');
    // Ask in both orders: a cached answer for one date must not leak into the other.
    expect(catalog.resolve('openai', 'gpt-4o', from)!.source).toBe('user');
    expect(catalog.resolve('openai', 'gpt-4o', before)!.source).toBe('genai-prices');
    expect(catalog.resolve('openai', 'gpt-4o', before)!.price.rates.input).toEqual(perToken(2.5));
    expect(catalog.resolve('openai', 'gpt-4o', from)!.price.rates.input).toEqual(perToken(2));
    expect(catalog.resolve('openai', 'gpt-4o', new Date('2027-06-01T00:00:00Z'))!.price.rates.input).toEqual(
      perToken(2),
    );

    // A current price and a scheduled one side by side.
    catalog.setPrice({
      provider: 'openai',
      model: 'gpt-4o',
      prices: { inputPerMTok: 2.25, outputPerMTok: 9 },
    });
    expect(catalog.resolve('openai', 'gpt-4o', before)!.price.rates.input).toEqual(perToken(2.25));
    expect(catalog.resolve('openai', 'gpt-4o', from)!.price.rates.input).toEqual(perToken(2));
  });

  it('can mark a model local', () => {
    const catalog = new PriceCatalog({
      prices: [{ provider: 'vllm', model: 'llama-3.1-8b', prices: {}, local: true }],
    });
    const resolved = catalog.resolve('vllm', 'llama-3.1-8b', at)!;
    expect(resolved.local).toBe(true);
    expect(
      priceUsage(catalog, {
        provider: 'vllm',
        model: 'llama-3.1-8b',
        usage: createUsage({ inputTokens: 5_000 }),
      }).total,
    ).toBe(0);
  });

  it('rejects invalid prices with a ValidationError naming the field, and keeps the old price', () => {
    const catalog = new PriceCatalog();
    const base: UserPrice = {
      provider: 'openai',
      model: 'gpt-4o',
      prices: { inputPerMTok: 2, outputPerMTok: 8 },
    };
    const fieldOf = (price: unknown) => {
      try {
        catalog.setPrice(price as UserPrice);
      } catch (error) {
        expect(ValidationError.isInstance(error)).toBe(true);
        return (error as ValidationError).field;
      }
      throw new Error('expected a ValidationError');
    };
    expect(fieldOf({ ...base, prices: { inputPerMTok: -1 } })).toMatch(/\.inputPerMTok$/);
    expect(fieldOf({ ...base, prices: { outputPerMTok: Number.NaN } })).toMatch(/\.outputPerMTok$/);
    expect(fieldOf({ ...base, prices: { cacheReadPerMTok: Number.POSITIVE_INFINITY } })).toMatch(
      /\.cacheReadPerMTok$/,
    );
    expect(fieldOf({ ...base, prices: { inputPerMTok: '2' } })).toMatch(/\.inputPerMTok$/);
    expect(fieldOf({ ...base, prices: { inputPerMTok: 5_000_000 } })).toMatch(/\.inputPerMTok$/);
    expect(fieldOf({ ...base, prices: { inputPerMtok: 2 } })).toMatch(/\.inputPerMtok$/);
    expect(fieldOf({ ...base, prices: { tiers: [{ aboveInputTokens: -5, prices: {} }] } })).toMatch(
      /\.tiers\[0\]\.aboveInputTokens$/,
    );
    expect(
      fieldOf({ ...base, prices: { tiers: [{ aboveInputTokens: 1_000, prices: { outputPerMTok: -1 } }] } }),
    ).toMatch(/\.tiers\[0\]\.prices\.outputPerMTok$/);
    expect(fieldOf({ ...base, prices: { tiers: [{ aboveInputTokens: 1_000 }] } })).toMatch(
      /\.tiers\[0\]\.prices$/,
    );
    expect(fieldOf({ ...base, prices: { tiers: 'all' } })).toMatch(/\.tiers$/);
    expect(fieldOf({ ...base, prices: undefined })).toBe('price.prices');
    expect(fieldOf({ ...base, provider: '' })).toBe('price.provider');
    expect(fieldOf({ ...base, model: '$where' })).toBe('price.model');
    expect(fieldOf({ ...base, service: 'video' })).toBe('price.service');
    expect(fieldOf({ ...base, aliases: [''] })).toBe('price.aliases[0]');
    expect(fieldOf({ ...base, aliases: 'gpt-4o-latest' })).toBe('price.aliases');
    expect(fieldOf({ ...base, effectiveFrom: 'next tuesday' })).toBe('price.effectiveFrom');
    expect(fieldOf({ ...base, maxOutputTokens: -1 })).toBe('price.maxOutputTokens');
    expect(fieldOf({ ...base, maxOutputTokens: 0 })).toBe('price.maxOutputTokens');
    expect(fieldOf({ ...base, contextWindow: 1.5 })).toBe('price.contextWindow');
    expect(fieldOf(null)).toBe('price');
    expect(catalog.resolve('openai', 'gpt-4o', at)!.source).toBe('genai-prices');
    expect(() => new PriceCatalog({ prices: [{ ...base, prices: { inputPerMTok: -1 } }] })).toThrow(
      ValidationError,
    );
  });
});
