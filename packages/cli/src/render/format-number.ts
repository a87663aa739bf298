const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** `12,345` */
export function formatCount(value: number): string {
  return whole.format(value);
}

/** `1 request`, `12,345 requests`: a count with its noun, singular for one. */
export function formatCountOf(value: number, noun: string): string {
  return `${formatCount(value)} ${noun}${value === 1 ? '' : 's'}`;
}

/** `the last day`, `the last 30 days`. */
export function lastDays(days: number): string {
  return days === 1 ? 'the last day' : `the last ${formatCount(days)} days`;
}

/** `12.3K`, `1.2M`; exact below 10,000. */
export function formatCompact(value: number): string {
  return value < 10_000 ? whole.format(value) : compact.format(value);
}

/** A 0–1 share as `51.2%`. */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** A USD price per unit, as a price list writes it: `$0.15`, `$2.50`, `$0.075`, `$0.0008`. */
export function formatPrice(usd: number): string {
  if (usd === 0) return '$0';
  // Four significant digits, at least two decimals.
  const digits = Math.min(9, Math.max(2, 3 - Math.floor(Math.log10(usd))));
  const text = usd.toFixed(digits);
  // Keep two decimals, drop the trailing zeros after them.
  const [integer, fraction = ''] = text.split('.');
  return `$${integer}.${fraction.replace(/0+$/, '').padEnd(2, '0')}`;
}
