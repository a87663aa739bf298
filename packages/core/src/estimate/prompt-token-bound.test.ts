import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { heuristicTokenCount } from './heuristic-token-count';
import { countTokens, promptTokenBound } from './token-counter';

interface Sample {
  kind: string;
  text: string;
  anthropicTokens: number;
  mistralTokens: number;
  mistralSentencePieceV7Tokens?: number;
}

const { samples } = JSON.parse(
  readFileSync(new URL('./__fixtures__/token-calibration.json', import.meta.url), 'utf8'),
) as { samples: Sample[] };

const MODELS = [
  { provider: 'anthropic', model: 'claude-sonnet-4-5', reference: (s: Sample) => s.anthropicTokens },
  {
    provider: 'mistral',
    model: 'mistral-large-2411',
    reference: (s: Sample) => Math.max(s.mistralTokens, s.mistralSentencePieceV7Tokens ?? 0),
  },
  {
    provider: 'acme',
    model: 'some-model',
    reference: (s: Sample) => Math.max(s.anthropicTokens, s.mistralTokens),
  },
] as const;

describe('the upper bound of a prompt the heuristic counts', () => {
  it.each(MODELS)('is never below the reference count of any corpus text ($provider $model)', (m) => {
    for (const sample of samples) {
      const counted = countTokens(sample.text, m.provider, m.model);
      expect(
        counted.upperBound,
        `${sample.kind}: ${JSON.stringify(sample.text.slice(0, 40))}`,
      ).toBeGreaterThanOrEqual(m.reference(sample));
      expect(counted.tokens).toBeLessThanOrEqual(counted.upperBound);
    }
  });

  // The reference tokenizers are not available here, so a long text is billed as the sum of its
  // parts: how the denial-of-wallet loop's emulator bills a prompt of repeated corpus texts. The
  // heuristic under-counts some of these (short words repeated: its per-text constant is paid once).
  it.each(MODELS)(
    'covers long texts made of corpus texts, which the heuristic can under-count ($provider)',
    (m) => {
      fc.assert(
        fc.property(
          fc.array(fc.nat({ max: samples.length - 1 }), { minLength: 1, maxLength: 400 }),
          (indexes) => {
            const parts = indexes.map((index) => samples[index]!);
            const text = parts.map((part) => part.text).join('\n');
            const billed = parts.reduce((sum, part) => sum + m.reference(part), 0);
            const counted = countTokens(text, m.provider, m.model);
            expect(counted.upperBound).toBeGreaterThanOrEqual(billed);
          },
        ),
        { numRuns: 300, seed: 61 },
      );
      // Repetitions of one short word, the case the reliability loop found.
      const merci = samples.find((sample) => sample.text === 'Merci');
      if (merci && m.provider === 'mistral') {
        const text = Array.from({ length: 10_000 }, () => merci.text).join('\n');
        expect(heuristicTokenCount(text, 'mistral')).toBeLessThan(10_000 * merci.mistralTokens);
        expect(countTokens(text, m.provider, m.model).upperBound).toBeGreaterThanOrEqual(
          10_000 * merci.mistralTokens,
        );
      }
    },
  );

  it('is the UTF-8 length for Tekken, and 1.1 per byte plus 2 for Claude and unknown tokenizers', () => {
    expect(promptTokenBound(0, 'mistral')).toBe(0);
    expect(promptTokenBound(0, 'anthropic')).toBe(0);
    expect(promptTokenBound(1, 'mistral')).toBe(1);
    expect(promptTokenBound(1, 'anthropic')).toBe(4);
    expect(promptTokenBound(1_000, 'anthropic')).toBe(1_102);
    expect(promptTokenBound(1_000, 'generic')).toBe(1_102);
    // A Mistral text too long to count on the caller's thread.
    const text = 'Grüße, 世界 🔥'.repeat(90_000);
    expect(countTokens(text, 'mistral', 'mistral-small-latest').upperBound).toBe(Buffer.byteLength(text));
  });
});
