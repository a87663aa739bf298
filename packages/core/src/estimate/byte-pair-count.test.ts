import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BytePairCounter } from './byte-pair-count';
import { tekkenRanks } from './tekken-vocabulary';

const binary = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

describe('BytePairCounter', () => {
  const counter = new BytePairCounter(tekkenRanks());

  it('makes the same merges with the heap as with the scan', () => {
    // A small alphabet, so that long pieces still merge a lot.
    const piece = fc.string({
      unit: fc.constantFrom('a', 'b', 'e', 'i', 'n', 'o', 's', 't', 'r', ' ', 'é', 'я', '中', '0', '-'),
      minLength: 2,
      maxLength: 120,
    });
    fc.assert(
      fc.property(piece, (text) => {
        const bytes = binary(text);
        const scanned = counter.scanCount(bytes);
        expect(counter.heapCount(bytes)).toBe(scanned);
        expect(scanned).toBeLessThanOrEqual(bytes.length);
      }),
      { numRuns: 1_000, seed: 83 },
    );
  });

  it('merges arbitrary bytes the same way both ways', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 2, maxLength: 80 }), (bytes) => {
        const piece = Buffer.from(bytes).toString('latin1');
        expect(counter.heapCount(piece)).toBe(counter.scanCount(piece));
      }),
      { numRuns: 500, seed: 89 },
    );
  });

  it('counts a piece that is a token as one, and each unmergeable byte as one', () => {
    expect(counter.count(binary(' the'))).toBe(1);
    expect(counter.count('')).toBe(0);
    expect(counter.count('\u00ff\u00fe')).toBe(2);
  });

  it('gives the same count from its word cache, before and after the cache fills', () => {
    const words = Array.from({ length: 40_000 }, (_, index) => binary(`zq${index.toString(36)}xé`));
    const expected = words.map((word) => counter.scanCount(word));
    for (let round = 0; round < 2; round++)
      for (let index = 0; index < words.length; index++)
        expect(counter.count(words[index]!)).toBe(expected[index]);
  });

  it('refuses a vocabulary without every single byte', () => {
    expect(() => new BytePairCounter(new Map([['a', 0]]))).toThrow(RangeError);
  });
});
