import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BytePairCounter } from './byte-pair-count';
import {
  binaryUtf8,
  TEKKEN_PIECE_MAX_BYTES,
  tekkenCountWithin,
  tekkenPreTokens,
  tekkenPreTokensFast,
  tekkenTokenCount,
} from './tekken-token-count';
import { tekkenRanks } from './tekken-vocabulary';

interface CorpusSample {
  kind: string;
  tokens: number;
  text?: string;
  calibrationIndex?: number;
  recipe?: { repeat: string; times: number } | { base64Bytes: number; seed: number };
}

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);
const corpus = JSON.parse(readFileSync(fixture('tekken-corpus.json'), 'utf8')) as {
  reference: string;
  vocabularySha256: string;
  samples: CorpusSample[];
};
const calibration = JSON.parse(readFileSync(fixture('token-calibration.json'), 'utf8')) as {
  samples: { text: string }[];
};

/** The same bytes as the generator's linear congruential generator, base64-encoded. */
function base64Text(byteCount: number, seed: number): string {
  const bytes = Buffer.alloc(byteCount);
  let state = BigInt(seed);
  for (let index = 0; index < byteCount; index++) {
    state = (state * 1103515245n + 12345n) % 2n ** 31n;
    bytes[index] = Number(state >> 16n) & 0xff;
  }
  return bytes.toString('base64');
}

export function corpusText(sample: CorpusSample): string {
  if (sample.text !== undefined) return sample.text;
  if (sample.calibrationIndex !== undefined) return calibration.samples[sample.calibrationIndex]!.text;
  const recipe = sample.recipe!;
  return 'repeat' in recipe
    ? recipe.repeat.repeat(recipe.times)
    : base64Text(recipe.base64Bytes, recipe.seed);
}

const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');

describe('Tekken token counts', () => {
  it('uses the vocabulary the reference counts were made with', () => {
    const vocabulary = readFileSync(new URL('./tekken-vocabulary.bin', import.meta.url));
    expect(createHash('sha256').update(vocabulary).digest('hex')).toBe(corpus.vocabularySha256);
    expect(tekkenRanks().size).toBe(130_072);
    expect(corpus.reference).toMatch(/^mistral-common@\d+\.\d+\.\d+$/);
  });

  it('equal mistral-common on every corpus text', () => {
    const kinds = new Set(corpus.samples.map((sample) => sample.kind));
    for (const kind of ['prose-en', 'code-ts', 'code-json', 'non-en-zh', 'non-en-ru', 'emoji', 'base64'])
      expect(kinds).toContain(kind);
    for (const sample of corpus.samples) {
      const text = corpusText(sample);
      expect(tekkenTokenCount(text), `${sample.kind}: ${JSON.stringify(text.slice(0, 60))}`).toBe(
        sample.tokens,
      );
    }
  });

  it('count text that looks like a control token as ordinary text', () => {
    expect(tekkenTokenCount('[INST]')).toBeGreaterThan(1);
    expect(tekkenTokenCount('</s>')).toBeGreaterThan(1);
    expect(tekkenTokenCount('')).toBe(0);
  });

  it('split a text into pre-tokens that put it back together, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expect(tekkenPreTokens(text).join('')).toBe(text);
      }),
      { numRuns: 500, seed: 71 },
    );
  });

  it('find the same pre-tokens by hand where ASCII decides as the pattern does', () => {
    for (const sample of corpus.samples) {
      const text = corpusText(sample);
      expect(tekkenPreTokensFast(text)).toEqual(tekkenPreTokens(text));
    }
    // Mostly ASCII, every class of it, with the non-ASCII characters that could continue a run.
    const character = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.constantFrom(
          ...'aZbYc09 \t\n\r\v\f .,;:!?/()[]{}"\'-_=+*&^%$#@~`|<>\\\u0000\u001f\u007f',
        ),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          'é',
          'É',
          'ß',
          'ǅ',
          'ʰ',
          '中',
          '\u0301',
          '\u00a0',
          '\u0085',
          '\u2003',
          '\u3000',
          '\ufeff',
          '—',
          '«',
          '٣',
          '😀',
          '\ud800',
        ),
      },
    );
    fc.assert(
      fc.property(fc.array(character, { maxLength: 60 }), (characters) => {
        const text = characters.join('');
        expect(tekkenPreTokensFast(text)).toEqual(tekkenPreTokens(text));
      }),
      { numRuns: 5_000, seed: 61 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expect(tekkenPreTokensFast(text)).toEqual(tekkenPreTokens(text));
      }),
      { numRuns: 500, seed: 59 },
    );
  });

  it('see a piece as its UTF-8 bytes, a lone surrogate as U+FFFD', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (text) => {
        expect(binaryUtf8(text)).toBe(Buffer.from(text, 'utf8').toString('latin1'));
      }),
      { numRuns: 500, seed: 67 },
    );
  });

  it('are never above the UTF-8 length', () => {
    const corpusPieces = fc.constantFrom(...corpus.samples.slice(0, 143).map((sample) => corpusText(sample)));
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), corpusPieces), { maxLength: 6 }),
        (parts) => {
          const text = parts.join('');
          expect(tekkenTokenCount(text)).toBeLessThanOrEqual(utf8Length(text));
        },
      ),
      { numRuns: 400, seed: 73 },
    );
  });

  it('count a piece longer than the cap one token a byte, at least its exact count', () => {
    const counter = new BytePairCounter(tekkenRanks());
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('a', 'b', 'e', 'n', 'r', 's', 't', 'é'),
          minLength: 1,
          maxLength: 8,
        }),
        (unit) => {
          const piece = unit.repeat(Math.ceil((TEKKEN_PIECE_MAX_BYTES + 1) / unit.length));
          const bytes = Buffer.from(piece, 'utf8').toString('latin1');
          expect(tekkenPreTokens(piece)).toEqual([piece]);
          expect(tekkenTokenCount(piece)).toBe(bytes.length);
          expect(counter.heapCount(bytes)).toBeLessThanOrEqual(bytes.length);
        },
      ),
      { numRuns: 20, seed: 79 },
    );
  });

  it('stop at a pre-token boundary when the time budget runs out, with the exact count of what they counted', () => {
    const text = corpus.samples
      .slice(0, 143)
      .map((sample) => corpusText(sample))
      .join('\n');
    const partial = tekkenCountWithin(text, 0);
    // The clock is first read after 8,192 bytes: a budget of 0 stops there.
    expect(partial.counted).toBeGreaterThan(0);
    expect(partial.counted).toBeLessThan(text.length);
    const counted = text.slice(0, partial.counted);
    expect(utf8Length(counted)).toBeGreaterThanOrEqual(8_192);
    const pieces = tekkenPreTokens(text);
    expect(pieces.slice(0, tekkenPreTokens(counted).length).join('')).toBe(counted);
    expect(partial.tokens).toBe(tekkenTokenCount(counted));
    // What the gate holds: the counted part exactly, the rest at its UTF-8 length.
    const held = partial.tokens + utf8Length(text.slice(partial.counted));
    expect(held).toBeGreaterThanOrEqual(tekkenTokenCount(text));
    // A text under 8,192 bytes is counted in full whatever the budget.
    const short = corpusText(corpus.samples[0]!);
    expect(tekkenCountWithin(short, 0)).toEqual({ tokens: tekkenTokenCount(short), counted: short.length });
  });

  it('count a long piece under the cap exactly: 10,000 letters are 5,000 tokens, as in mistral-common', () => {
    expect(tekkenTokenCount('a'.repeat(10_000))).toBe(5_000);
    expect(tekkenTokenCount('a'.repeat(TEKKEN_PIECE_MAX_BYTES))).toBe(TEKKEN_PIECE_MAX_BYTES / 2);
    expect(tekkenTokenCount('a'.repeat(TEKKEN_PIECE_MAX_BYTES + 1))).toBe(TEKKEN_PIECE_MAX_BYTES + 1);
  });
});
