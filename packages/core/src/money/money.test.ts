import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUsd, lineItemCost, NANO_PER_USD, nanoToUsd, type Rate, sumNano, usdToNano } from './money';
import { seededRandom } from './seeded-random';

/** The reference: `units × nanoUsd / per` rounded half up, in BigInt. */
function referenceLineItem(units: number, rate: Rate): bigint {
  const product = BigInt(units) * BigInt(rate.nanoUsd);
  const per = BigInt(rate.per);
  const whole = product / per;
  return (product % per) * 2n >= per ? whole + 1n : whole;
}

/** A decimal USD string ("-12.000000345") as exact nano-USD, in BigInt. */
function referenceNanoOfDecimal(text: string): bigint {
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  const nano = BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
  return negative ? -nano : nano;
}

// The unit groups prices are quoted in: per token (per million), per 1,000 (pages,
// searches), per image or request, per audio minute and hour in milliseconds.
const PERS = [1, 1_000, 60_000, 1_000_000, 3_600_000] as const;

/**
 * Realistic line items whose worst-case sum still fits in 2^53: at most 100,000 units
 * at up to $75 per million units is at most 7.5e9 nano-USD an item, 7.5e15 for a million.
 */
function randomLineItem(random: () => number): { units: number; rate: Rate } {
  const per = PERS[Math.floor(random() * PERS.length)]!;
  const units = Math.floor(random() * 100_001);
  // nano-USD per `per` units, scaled so that a unit never costs more than $75 per million.
  const nanoUsd = Math.floor(random() * 75_000 * per);
  return { units, rate: { nanoUsd, per } };
}

describe('lineItemCost and sums', () => {
  it('sums a million random line items exactly (numbers against BigInt)', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const random = seededRandom(seed);
        const costs: number[] = new Array(1_000_000);
        let exact = 0n;
        let mismatches = 0;
        for (let index = 0; index < costs.length; index++) {
          const { units, rate } = randomLineItem(random);
          const cost = lineItemCost(units, rate);
          const reference = referenceLineItem(units, rate);
          if (!Number.isSafeInteger(cost) || BigInt(cost) !== reference) mismatches++;
          costs[index] = cost;
          exact += reference;
        }
        expect(mismatches).toBe(0);
        expect(exact <= BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
        expect(sumNano(costs)).toBe(Number(exact));
      }),
      { numRuns: 2, seed: 20261101 },
    );
  });

  it('sums shrinkable arrays of line items exactly, in any order', () => {
    // Up to 10 million units at up to $200 per million: at most 2e12 nano-USD an item, 4e15 for 2,000.
    const rate = fc
      .constantFrom(...PERS)
      .chain((per) =>
        fc.record({ nanoUsd: fc.integer({ min: 0, max: 200_000 * per }), per: fc.constant(per) }),
      );
    const item = fc.record({ units: fc.integer({ min: 0, max: 10_000_000 }), rate });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 2_000 }), (items) => {
        const costs = items.map(({ units, rate }) => lineItemCost(units, rate));
        const exact = items.reduce((total, { units, rate }) => total + referenceLineItem(units, rate), 0n);
        expect(sumNano(costs)).toBe(Number(exact));
        expect(sumNano([...costs].reverse())).toBe(Number(exact));
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('matches the BigInt reference when units × rate is far beyond 2^53', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000_000 }),
        fc.integer({ min: 0, max: 1_000_000_000_000_000 }),
        fc.constantFrom(...PERS, 7, 999_983),
        (units, nanoUsd, per) => {
          const rate = { nanoUsd, per };
          expect(lineItemCost(units, rate)).toBe(Number(referenceLineItem(units, rate)));
        },
      ),
      { numRuns: 2_000, seed: 11 },
    );
  });

  it('matches the BigInt reference around the 2^53 boundary of the fast path', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: -5_000, max: 5_000 }),
        fc.integer({ min: 1, max: 3_600_000 }),
        (nanoUsd, offset, per) => {
          const units = Math.floor(Number.MAX_SAFE_INTEGER / nanoUsd) + offset;
          if (units < 0) return;
          const rate = { nanoUsd, per };
          expect(lineItemCost(units, rate)).toBe(Number(referenceLineItem(units, rate)));
        },
      ),
      { numRuns: 1_000, seed: 3 },
    );
  });

  it('rounds half up, once per line item', () => {
    expect(lineItemCost(1, { nanoUsd: 1, per: 2 })).toBe(1); // 0.5 → 1
    expect(lineItemCost(1, { nanoUsd: 1, per: 3 })).toBe(0); // 0.333… → 0
    expect(lineItemCost(2, { nanoUsd: 1, per: 3 })).toBe(1); // 0.666… → 1
    expect(lineItemCost(3, { nanoUsd: 1, per: 2 })).toBe(2); // 1.5 → 2
    expect(lineItemCost(499_999, { nanoUsd: 1, per: 1_000_000 })).toBe(0);
    expect(lineItemCost(500_000, { nanoUsd: 1, per: 1_000_000 })).toBe(1);
    // 0.15 nano-USD a unit: 3 units are 0.45 → 0, 4 are 0.6 → 1.
    expect(lineItemCost(3, { nanoUsd: 150_000, per: 1_000_000 })).toBe(0);
    expect(lineItemCost(4, { nanoUsd: 150_000, per: 1_000_000 })).toBe(1);
    // Two half-nano lines round up each (2), where rounding the total once would give 1.
    const half = { nanoUsd: 1, per: 2 };
    expect(sumNano([lineItemCost(1, half), lineItemCost(1, half)])).toBe(2);
    // Half up, not half to even: 2.5 → 3.
    expect(lineItemCost(5, { nanoUsd: 1, per: 2 })).toBe(3);
  });

  it('prices real rates exactly', () => {
    // $3 per million tokens, 1,234,567 tokens: $3.703701
    expect(lineItemCost(1_234_567, { nanoUsd: 3_000_000_000, per: 1_000_000 })).toBe(3_703_701_000);
    // Whisper at $0.36 an hour for 90.5 s of audio: $0.00905
    expect(lineItemCost(90_500, { nanoUsd: 360_000_000, per: 3_600_000 })).toBe(9_050_000);
    expect(lineItemCost(0, { nanoUsd: 3_000_000_000, per: 1_000_000 })).toBe(0);
    expect(lineItemCost(1_000, { nanoUsd: 0, per: 1 })).toBe(0);
  });
});

describe('usdToNano and nanoToUsd', () => {
  // Below 2^23 USD the gap between neighbouring floats is under a nano-USD, so a USD
  // number can carry every nano amount; above it (up to 2^53 nano-USD) it cannot.
  const EXACT_LIMIT = 2 ** 23 * NANO_PER_USD - 1;

  it('round-trips every integer nano amount below 2^23 USD', () => {
    const amount = fc.oneof(
      fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 }),
      fc.integer({ min: -EXACT_LIMIT, max: EXACT_LIMIT }),
      fc.integer({ min: EXACT_LIMIT - 10_000_000, max: EXACT_LIMIT }),
    );
    fc.assert(
      fc.property(amount, (nano) => {
        expect(usdToNano(nanoToUsd(nano))).toBe(nano);
      }),
      { numRuns: 20_000, seed: 42 },
    );
  });

  it('stays within one nano-USD over the rest of the safe integer range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: EXACT_LIMIT, max: Number.MAX_SAFE_INTEGER }),
        fc.boolean(),
        (magnitude, negative) => {
          const nano = negative ? -magnitude : magnitude;
          expect(Math.abs(usdToNano(nanoToUsd(nano)) - nano)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 5_000, seed: 43 },
    );
  });

  it('reads decimal USD strings with up to nine decimals exactly', () => {
    const decimal = fc
      .tuple(
        fc.boolean(),
        fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 2 ** 23 - 1 })),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 999_999_999 }),
      )
      .map(([negative, whole, decimals, fraction]) => {
        const digits = String(fraction).padStart(9, '0').slice(0, decimals);
        return `${negative ? '-' : ''}${whole}${decimals > 0 ? `.${digits}` : ''}`;
      });
    fc.assert(
      fc.property(decimal, (text) => {
        expect(usdToNano(Number(text))).toBe(Number(referenceNanoOfDecimal(text)));
      }),
      { numRuns: 20_000, seed: 44 },
    );
  });

  it('rounds the tenth decimal half away from zero, once', () => {
    expect(usdToNano(30)).toBe(30_000_000_000);
    expect(usdToNano(0.05)).toBe(50_000_000);
    expect(usdToNano(0.1 + 0.2)).toBe(300_000_000);
    expect(usdToNano(0.0000000025)).toBe(3);
    expect(usdToNano(-0.0000000025)).toBe(-3);
    expect(usdToNano(0.0000000024)).toBe(2);
    expect(usdToNano(1e-7)).toBe(100);
    expect(usdToNano(1.0000000005)).toBe(1_000_000_001);
    // 1.49 nano-USD rounds to 1: rounding first to ten decimals (1.5) and then to nine would give 2.
    expect(usdToNano(0.00000000149)).toBe(1);
    expect(usdToNano(0)).toBe(0);
    // toBe compares with Object.is: a tiny negative amount must round to 0, not -0.
    expect(usdToNano(-0.0000000001)).toBe(0);
  });

  it('reads amounts written with many digits without float noise', () => {
    expect(usdToNano(8_117_967.256986639)).toBe(8_117_967_256_986_639);
    expect(usdToNano(4_204_455.937678508)).toBe(4_204_455_937_678_508);
    expect(nanoToUsd(1_234_567_890)).toBe(1.23456789);
  });
});

describe('formatUsd', () => {
  it('formats the documented examples', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(5_500_000)).toBe('$0.0055');
    expect(formatUsd(12_400_000_000)).toBe('$12.40');
    expect(formatUsd(-1_000_000_000)).toBe('-$1.00');
    expect(formatUsd(1_234_567_000_000)).toBe('$1,234.57');
    expect(formatUsd(12_500_000)).toBe('$0.0125');
    expect(formatUsd(500_000_000)).toBe('$0.50');
  });

  it('keeps two significant digits below a cent and never uses exponent notation', () => {
    expect(formatUsd(-5_500_000)).toBe('-$0.0055');
    expect(formatUsd(1_000_000)).toBe('$0.001');
    expect(formatUsd(12_345)).toBe('$0.000012');
    expect(formatUsd(1)).toBe('$0.000000001');
    expect(formatUsd(10_000_000)).toBe('$0.01');
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (nano) => {
        expect(formatUsd(nano)).toMatch(/^-?\$\d{1,3}(,\d{3})*\.\d+$|^\$0\.00$/);
      }),
      { numRuns: 5_000, seed: 45 },
    );
  });
});
