import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type HeuristicTokenFamily, heuristicTokenCount } from './heuristic-token-count';

interface Sample {
  kind: string;
  source: string;
  text: string;
  characters: number;
  anthropicTokens: number;
  mistralTokens: number;
  o200kTokens: number;
}

interface Figures {
  samples: number;
  meanSignedError: number;
  p95AbsoluteError: number;
  worstUnderEstimate: number;
  underEstimatedShare: number;
  maxOverRatio: number;
  maxOverShort: number;
  totalRatio: number;
}

interface Calibration {
  measuredOn: string;
  references: { anthropic: string; mistral: string };
  heuristic: { measured: Record<HeuristicTokenFamily, Figures> };
  samples: Sample[];
}

const calibration = JSON.parse(
  readFileSync(new URL('./__fixtures__/token-calibration.json', import.meta.url), 'utf8'),
) as Calibration;
const { samples } = calibration;

const FAMILIES: HeuristicTokenFamily[] = ['anthropic', 'mistral', 'generic'];

// The reference each family is calibrated against; 'generic' must cover both.
function reference(family: HeuristicTokenFamily, s: Sample): number {
  if (family === 'anthropic') return s.anthropicTokens;
  if (family === 'mistral') return s.mistralTokens;
  return Math.max(s.anthropicTokens, s.mistralTokens);
}

// Same definitions as scripts/calibrate-token-heuristic.mjs.
function figures(family: HeuristicTokenFamily): Figures {
  const rows = samples.map((s) => ({ ref: reference(family, s), est: heuristicTokenCount(s.text, family) }));
  const errors = rows.map((r) => r.est - r.ref);
  const absolute = errors.map(Math.abs).sort((a, b) => a - b);
  const long = rows.filter((r) => r.ref >= 20);
  const short = rows.filter((r) => r.ref < 20);
  return {
    samples: rows.length,
    meanSignedError: errors.reduce((a, b) => a + b, 0) / errors.length,
    p95AbsoluteError: absolute[Math.ceil(0.95 * absolute.length) - 1] ?? 0,
    worstUnderEstimate: Math.min(0, ...errors),
    underEstimatedShare: errors.filter((e) => e < 0).length / errors.length,
    maxOverRatio: Math.max(...long.map((r) => r.est / r.ref)),
    maxOverShort: Math.max(0, ...short.map((r) => r.est - r.ref)),
    totalRatio: rows.reduce((n, r) => n + r.est, 0) / rows.reduce((n, r) => n + r.ref, 0),
  };
}

describe('heuristicTokenCount', () => {
  it('returns 0 for the empty string', () => {
    for (const family of FAMILIES) expect(heuristicTokenCount('', family)).toBe(0);
  });

  it('returns at least 1 for any non-empty string', () => {
    for (const family of FAMILIES) {
      for (const text of [' ', 'a', '\n', '1', '好', '🔥', '\u0301']) {
        expect(heuristicTokenCount(text, family)).toBeGreaterThanOrEqual(1);
      }
    }
  });

  describe('calibration fixture', () => {
    it('is well formed', () => {
      expect(calibration.measuredOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(calibration.references.anthropic).toMatch(/.+@\d+\.\d+\.\d+$/);
      expect(calibration.references.mistral).toMatch(/.+@\d+\.\d+\.\d+$/);
      expect(samples.length).toBeGreaterThanOrEqual(40);
      for (const s of samples) {
        expect(s.text.length).toBeGreaterThan(0);
        expect(s.characters).toBe(s.text.length);
        for (const n of [s.anthropicTokens, s.mistralTokens, s.o200kTokens]) {
          expect(Number.isInteger(n) && n > 0).toBe(true);
        }
      }
    });
  });

  describe.each(FAMILIES)('%s', (family) => {
    const measured = calibration.heuristic.measured[family];

    it('under-estimates no sample by more than the measured worst case', () => {
      for (const s of samples) {
        const error = heuristicTokenCount(s.text, family) - reference(family, s);
        expect(error, `${s.kind}: ${JSON.stringify(s.text.slice(0, 40))}`).toBeGreaterThanOrEqual(
          measured.worstUnderEstimate,
        );
      }
      expect(figures(family).underEstimatedShare).toBeLessThanOrEqual(measured.underEstimatedShare);
    });

    it('over-estimates within the measured bounds', () => {
      for (const s of samples) {
        const ref = reference(family, s);
        const est = heuristicTokenCount(s.text, family);
        const label = `${s.kind}: ${JSON.stringify(s.text.slice(0, 40))}`;
        if (ref >= 20) expect(est / ref, label).toBeLessThanOrEqual(measured.maxOverRatio + 1e-9);
        else expect(est - ref, label).toBeLessThanOrEqual(measured.maxOverShort);
      }
    });

    it('matches the recorded figures', () => {
      const actual = figures(family);
      expect(actual.samples).toBe(measured.samples);
      expect(actual.meanSignedError).toBeCloseTo(measured.meanSignedError, 1);
      expect(actual.p95AbsoluteError).toBe(measured.p95AbsoluteError);
      expect(actual.worstUnderEstimate).toBe(measured.worstUnderEstimate);
      expect(actual.underEstimatedShare).toBeCloseTo(measured.underEstimatedShare, 2);
      expect(actual.maxOverRatio).toBeCloseTo(measured.maxOverRatio, 2);
      expect(actual.maxOverShort).toBe(measured.maxOverShort);
      expect(actual.totalRatio).toBeCloseTo(measured.totalRatio, 2);
    });
  });

  it("'generic' is the larger of the 'anthropic' and 'mistral' estimates", () => {
    for (const s of samples) {
      expect(heuristicTokenCount(s.text, 'generic')).toBe(
        Math.max(heuristicTokenCount(s.text, 'anthropic'), heuristicTokenCount(s.text, 'mistral')),
      );
    }
  });

  describe('on a 1 MB string', () => {
    // A unit whose repetition adds up exactly: it starts like a text start (a capital after
    // nothing) and ends with a space, so every character class count is k times the unit's.
    const units = [
      'The quick brown fox jumps over the lazy dog. ',
      '人工智能模型的调用成本往往难以预测。 ',
      '{"id":42,"name":"x9K#mQ2","tags":["a","b"]} ',
    ];
    const MB = 1 << 20;

    it.each(units)('grows linearly with repetitions of %j', (unit) => {
      const k = Math.ceil(MB / unit.length);
      const one = unit.repeat(k);
      const two = unit.repeat(2 * k);
      expect(one.length).toBeGreaterThanOrEqual(MB);
      for (const family of FAMILIES) {
        const e1 = heuristicTokenCount(one, family);
        const e2 = heuristicTokenCount(two, family);
        expect(Number.isSafeInteger(e1)).toBe(true);
        expect(e1).toBeGreaterThan(0);
        // e(u^k) = ceil(k·a + c) with c the per-text constant (< 3 tokens), so doubling k adds e(u^k) - c.
        expect(Math.abs(e2 - 2 * e1)).toBeLessThanOrEqual(4);
        // And a per-unit cost consistent with the unit alone (its constant and rounding aside).
        const perUnit = heuristicTokenCount(unit, family);
        expect(e1).toBeLessThanOrEqual(k * perUnit);
        expect(e1).toBeGreaterThanOrEqual(k * (perUnit - 4));
      }
    });

    it('handles a mixed 1 MB text built from the corpus', () => {
      const corpus = samples.map((s) => s.text).join('\n');
      const text = corpus.repeat(Math.ceil(MB / corpus.length));
      const sum = samples.reduce((n, s) => n + s.anthropicTokens, 0);
      const repeats = Math.ceil(MB / corpus.length);
      const estimate = heuristicTokenCount(text, 'anthropic');
      expect(Number.isSafeInteger(estimate)).toBe(true);
      // Joining drops the per-text constants and can merge words across joins, but the total stays
      // within the measured over-estimate of the parts.
      expect(estimate).toBeGreaterThan(sum * repeats * 0.9);
      expect(estimate).toBeLessThan(sum * repeats * calibration.heuristic.measured.anthropic.maxOverRatio);
    });
  });
});
