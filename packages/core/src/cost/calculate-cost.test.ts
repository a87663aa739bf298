import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PriceInUsd, ResolvedPrice } from '../catalog/model-price';
import { toModelPrice } from '../catalog/to-model-price';
import { createUsage } from '../usage';
import { calculateCost } from './calculate-cost';

function priced(prices: PriceInUsd, overrides: Partial<ResolvedPrice> = {}): ResolvedPrice {
  return {
    provider: 'acme',
    model: 'acme-1',
    service: 'llm',
    price: toModelPrice(prices),
    source: 'user',
    local: false,
    ...overrides,
  };
}

const lineSummary = (cost: ReturnType<typeof calculateCost>) =>
  cost.lines.map((line) => [line.component, line.units, line.cost]);

describe('calculateCost', () => {
  it('prices each kind of unit on its own line and totals them exactly', () => {
    const resolved = priced({
      inputPerMTok: 3,
      outputPerMTok: 15,
      cacheReadPerMTok: 0.3,
      cacheWritePerMTok: 3.75,
      cacheWrite1hPerMTok: 6,
      perThousandWebSearches: 10,
    });
    const usage = createUsage({
      inputTokens: 1_000,
      cacheReadTokens: 10_000,
      cacheWriteTokens: 5_000,
      cacheWrite1hTokens: 2_000,
      outputTokens: 500,
      reasoningTokens: 200,
      webSearches: 2,
    });
    const cost = calculateCost(usage, resolved);
    expect(lineSummary(cost)).toEqual([
      ['input', 1_000, 3_000_000],
      ['cacheRead', 10_000, 3_000_000],
      ['cacheWrite', 3_000, 11_250_000],
      ['cacheWrite1h', 2_000, 12_000_000],
      ['output', 500, 7_500_000],
      ['webSearch', 2, 20_000_000],
    ]);
    expect(cost.total).toBe(56_750_000);
    expect(cost.lines[0]!.rate).toEqual({ nanoUsd: 3_000_000_000, per: 1_000_000 });
    expect(cost).toMatchObject({ provider: 'acme', model: 'acme-1', source: 'user', unpriced: [] });
  });

  it('rounds each line half up on its own, so the total is the sum of the lines', () => {
    // $0.0000015 per token is 1.5 nano-USD: one token rounds to 2 on each line.
    const resolved = priced({ inputPerMTok: 0.0015, outputPerMTok: 0.0015, cacheReadPerMTok: 0.0015 });
    const cost = calculateCost(
      createUsage({ inputTokens: 1, cacheReadTokens: 1, outputTokens: 1 }),
      resolved,
    );
    expect(cost.lines.map((line) => line.cost)).toEqual([2, 2, 2]);
    // Rounding the 4.5 nano-USD total once would give 5; per line it is 6.
    expect(cost.total).toBe(6);
    // 0.45 nano-USD on a line rounds to 0: the line is kept with its units.
    const small = calculateCost(createUsage({ inputTokens: 3 }), priced({ inputPerMTok: 0.00015 }));
    expect(lineSummary(small)).toEqual([['input', 3, 0]]);
  });

  it('sums its lines exactly for any usage', () => {
    const resolved = priced({
      inputPerMTok: 2.5,
      outputPerMTok: 10,
      cacheReadPerMTok: 1.25,
      inputAudioPerMTok: 40,
      outputAudioPerMTok: 80,
      perImage: 0.04,
    });
    const count = fc.integer({ min: 0, max: 50_000_000 });
    fc.assert(
      fc.property(
        count,
        count,
        count,
        count,
        count,
        fc.integer({ min: 0, max: 100 }),
        (text, audio, cached, output, audioOut, images) => {
          const usage = createUsage({
            inputTokens: text + audio,
            inputAudioTokens: audio,
            cacheReadTokens: cached,
            outputTokens: output + audioOut,
            outputAudioTokens: audioOut,
            images,
          });
          const cost = calculateCost(usage, resolved);
          expect(cost.total).toBe(cost.lines.reduce((total, line) => total + line.cost, 0));
          expect(Number.isSafeInteger(cost.total)).toBe(true);
          const units = (component: string) =>
            cost.lines
              .filter((line) => line.component === component)
              .reduce((total, line) => total + line.units, 0);
          expect(units('input')).toBe(text);
          expect(units('inputAudio')).toBe(audio);
          expect(units('outputAudio')).toBe(audioOut);
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });

  it('charges cached tokens at the input rate when the model has no cache price', () => {
    const resolved = priced({ inputPerMTok: 2, outputPerMTok: 6 });
    const cost = calculateCost(
      createUsage({
        inputTokens: 1_000,
        cacheReadTokens: 4_000,
        cacheWriteTokens: 3_000,
        cacheWrite1hTokens: 1_000,
      }),
      resolved,
    );
    expect(lineSummary(cost)).toEqual([
      ['input', 1_000, 2_000_000],
      ['input', 4_000, 8_000_000],
      ['input', 2_000, 4_000_000],
      ['input', 1_000, 2_000_000],
    ]);
    expect(cost.total).toBe(16_000_000);
    expect(cost.unpriced).toEqual([]);
  });

  it('charges one-hour cache writes at the five-minute rate when only that is priced', () => {
    const resolved = priced({ inputPerMTok: 1, cacheWritePerMTok: 1.25 });
    const cost = calculateCost(createUsage({ cacheWriteTokens: 4_000, cacheWrite1hTokens: 1_000 }), resolved);
    expect(lineSummary(cost)).toEqual([
      ['cacheWrite', 3_000, 3_750_000],
      ['cacheWrite', 1_000, 1_250_000],
    ]);
  });

  it('bills reasoning tokens as output', () => {
    const resolved = priced({ inputPerMTok: 2, outputPerMTok: 8 });
    const withReasoning = calculateCost(createUsage({ outputTokens: 1_000, reasoningTokens: 900 }), resolved);
    expect(lineSummary(withReasoning)).toEqual([['output', 1_000, 8_000_000]]);
  });

  it('prices audio tokens at their own rate, or as text when the model has none', () => {
    const audioPriced = priced({
      inputPerMTok: 2.5,
      outputPerMTok: 10,
      inputAudioPerMTok: 40,
      outputAudioPerMTok: 80,
    });
    const usage = createUsage({
      inputTokens: 1_500,
      inputAudioTokens: 1_000,
      outputTokens: 700,
      outputAudioTokens: 600,
    });
    expect(lineSummary(calculateCost(usage, audioPriced))).toEqual([
      ['input', 500, 1_250_000],
      ['inputAudio', 1_000, 40_000_000],
      ['output', 100, 1_000_000],
      ['outputAudio', 600, 48_000_000],
    ]);
    const textOnly = priced({ inputPerMTok: 2.5, outputPerMTok: 10 });
    expect(lineSummary(calculateCost(usage, textOnly))).toEqual([
      ['input', 500, 1_250_000],
      ['input', 1_000, 2_500_000],
      ['output', 100, 1_000_000],
      ['output', 600, 6_000_000],
    ]);
  });

  it('switches to a tier above its threshold of total input tokens, for the whole call', () => {
    const resolved = priced({
      inputPerMTok: 3,
      outputPerMTok: 15,
      cacheReadPerMTok: 0.3,
      tiers: [
        { aboveInputTokens: 200_000, prices: { inputPerMTok: 6, outputPerMTok: 22.5 } },
        { aboveInputTokens: 500_000, prices: { inputPerMTok: 9 } },
      ],
    });
    const cost = (inputTokens: number, cacheReadTokens = 0) =>
      calculateCost(createUsage({ inputTokens, cacheReadTokens, outputTokens: 1_000 }), resolved);
    expect(cost(200_000).total).toBe(200_000 * 3_000 + 1_000 * 15_000);
    expect(cost(200_001).total).toBe(200_001 * 6_000 + 1_000 * 22_500);
    // A tier keeps the base rates it does not override (the cache read rate here).
    expect(lineSummary(cost(100_000, 100_001))).toEqual([
      ['input', 100_000, 600_000_000],
      ['cacheRead', 100_001, 30_000_300],
      ['output', 1_000, 22_500_000],
    ]);
    // Above the second threshold its rates win; the first tier's output rate still applies.
    expect(cost(600_000).total).toBe(600_000 * 9_000 + 1_000 * 22_500);
  });

  it('charges audio duration in milliseconds, characters, images and pages', () => {
    const resolved = priced({
      perAudioMinute: 0.006,
      perMillionCharacters: 15,
      perImage: 0.04,
      perThousandPages: 1,
    });
    const cost = calculateCost(
      createUsage({ audioSeconds: 61.25, characters: 1_234, images: 3, pages: 7 }),
      resolved,
    );
    expect(lineSummary(cost)).toEqual([
      ['audio', 61_250, 6_125_000],
      ['character', 1_234, 18_510_000],
      ['image', 3, 120_000_000],
      ['page', 7, 7_000_000],
    ]);
  });

  it('adds a per-request line when the model has a request price', () => {
    const resolved = priced({ perRequest: 0.005, inputPerMTok: 1 });
    expect(lineSummary(calculateCost(createUsage({ inputTokens: 1_000 }), resolved))).toEqual([
      ['input', 1_000, 1_000_000],
      ['request', 1, 5_000_000],
    ]);
    expect(calculateCost(createUsage(), resolved).total).toBe(5_000_000);
  });

  it('lists what the price does not charge', () => {
    const textModel = priced({ inputPerMTok: 2.5, outputPerMTok: 10 });
    const cost = calculateCost(
      createUsage({ inputTokens: 100, images: 2, pages: 3, webSearches: 1 }),
      textModel,
    );
    expect(cost.total).toBe(250_000);
    expect(cost.unpriced).toEqual(['images', 'pages', 'web searches']);

    const perMinute = priced({ perAudioMinute: 0.006 });
    expect(calculateCost(createUsage({ inputTokens: 10, outputTokens: 5 }), perMinute).unpriced).toEqual([
      'input tokens',
      'output tokens',
    ]);

    const noRates = priced({});
    expect(calculateCost(createUsage({ audioSeconds: 30, characters: 10 }), noRates).unpriced).toEqual([
      'audio seconds',
      'characters',
    ]);
    // Speech reported in tokens as well as seconds is priced by the tokens.
    const tokenSpeech = priced({ inputPerMTok: 2.5, inputAudioPerMTok: 6, outputPerMTok: 10 });
    expect(
      calculateCost(createUsage({ inputTokens: 100, inputAudioTokens: 100, audioSeconds: 6 }), tokenSpeech)
        .unpriced,
    ).toEqual([]);
  });

  it('is $0 for a local model without listing anything as unpriced', () => {
    const local = priced({}, { provider: 'ollama', model: 'llama3.2', local: true, source: 'tollgate' });
    const cost = calculateCost(
      createUsage({ inputTokens: 5_000, outputTokens: 2_000, audioSeconds: 3, images: 1 }),
      local,
    );
    expect(cost.total).toBe(0);
    expect(cost.lines).toEqual([]);
    expect(cost.unpriced).toEqual([]);
  });

  it('is $0 with no lines for an empty usage', () => {
    const cost = calculateCost(createUsage(), priced({ inputPerMTok: 3, outputPerMTok: 15 }));
    expect(cost).toMatchObject({ total: 0, lines: [], unpriced: [] });
  });
});
