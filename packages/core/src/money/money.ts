/**
 * Money in tollgate is an integer number of nano-USD (1e-9 USD).
 *
 * A JavaScript number holds integers exactly up to 2^53, which is about
 * $9 million in nano-USD: far above any budget this library guards, and every
 * amount is checked with `Number.isSafeInteger` where it enters.
 */
export type NanoUsd = number;

/** nano-USD in one US dollar: every amount in the ledger is an integer of nano-USD. */
export const NANO_PER_USD = 1_000_000_000;

/**
 * Converts a USD amount (as written by people: `30`, `0.05`) to nano-USD, rounding
 * half away from zero. It goes through the shortest decimal digits of the number (the
 * ones people wrote), so `usdToNano(0.0000000025)` is 3 even though the binary float is
 * a hair below 2.5e-9, and `usdToNano(nanoToUsd(n)) === n` for every |n| below 2^23 USD
 * (about $8.4 million; above that a float cannot tell neighbouring nano-USD apart).
 */
export function usdToNano(usd: number): NanoUsd {
  // String() gives the shortest decimal that reads back as the same float, e.g. "2.5e-9".
  const [mantissa = '0', exponentText = '0'] = String(usd).toLowerCase().split('e');
  const negative = mantissa.startsWith('-');
  const [whole = '0', fraction = ''] = mantissa.replace('-', '').split('.');
  const digits = BigInt(whole + fraction);
  // value = digits × 10^-(fraction.length - exponent); nano = value × 10^9
  const shift = 9 - fraction.length + Number(exponentText);
  let nano: bigint;
  if (shift >= 0) {
    nano = digits * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    nano = digits / divisor;
    if ((digits % divisor) * 2n >= divisor) nano += 1n;
  }
  return Number(negative ? -nano : nano);
}

/** Converts nano-USD to a USD number for display and JSON; never feed the result back into a sum. */
export function nanoToUsd(nano: NanoUsd): number {
  return nano / NANO_PER_USD;
}

/**
 * A price: `nanoUsd` per `per` units (tokens, characters, audio milliseconds, images...).
 * Keeping the unit count beside the amount lets any decimal price with up to nine
 * decimals be held exactly ($0.36 per hour is 360,000,000 nano-USD per 3,600,000 ms).
 */
export interface Rate {
  readonly nanoUsd: number;
  readonly per: number;
}

/**
 * The cost of one priced line item: `units × rate.nanoUsd / rate.per`, rounded half up
 * to the nearest nano-USD. This is the only rounding in tollgate: one per line item,
 * so that every total is an exact sum of integers.
 */
export function lineItemCost(units: number, rate: Rate): NanoUsd {
  if (units === 0 || rate.nanoUsd === 0) return 0;
  const product = units * rate.nanoUsd;
  if (Number.isSafeInteger(product)) {
    const whole = Math.floor(product / rate.per);
    const remainder = product - whole * rate.per;
    return remainder * 2 >= rate.per ? whole + 1 : whole;
  }
  const big = BigInt(units) * BigInt(rate.nanoUsd);
  const per = BigInt(rate.per);
  const whole = big / per;
  return Number((big % per) * 2n >= per ? whole + 1n : whole);
}

/**
 * Formats nano-USD for people: `$12.40`, `$1,234.57` from a dollar up; up to four
 * decimals below a dollar (`$0.0125`, `$0.50`); two significant digits below a cent (`$0.0055`).
 */
export function formatUsd(nano: NanoUsd): string {
  const sign = nano < 0 ? '-' : '';
  const usd = Math.abs(nano) / NANO_PER_USD;
  if (usd === 0) return '$0.00';
  if (usd >= 1)
    return `${sign}$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (usd >= 0.01) return `${sign}$${usd.toFixed(4).replace(/0{1,2}$/, '')}`;
  // Not toPrecision: it switches to exponent notation ("1.0e-9") below $0.000001.
  return `${sign}$${usd.toLocaleString('en-US', { maximumSignificantDigits: 2 })}`;
}

export function sumNano(amounts: Iterable<NanoUsd>): NanoUsd {
  let total = 0;
  for (const amount of amounts) total += amount;
  return total;
}
