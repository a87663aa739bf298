import { InvalidArgumentError } from 'commander';

/** A commander argument parser for a whole number in [min, max]; anything else is a bad argument (exit 2). */
export function integerOption(min: number, max: number): (value: string) => number {
  return (value) => {
    const trimmed = value.trim();
    const number = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
    if (!Number.isSafeInteger(number) || number < min || number > max)
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${formatLimit(max)}.`);
    return number;
  };
}

/** A commander argument parser for a number ≥ 0 (fractions allowed), at most `max`. */
export function quantityOption(max: number): (value: string) => number {
  return (value) => {
    const trimmed = value.trim();
    const number = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
    if (!Number.isFinite(number) || number > max)
      throw new InvalidArgumentError(`must be a number from 0 to ${formatLimit(max)}.`);
    return number;
  };
}

function formatLimit(max: number): string {
  return max.toLocaleString('en-US');
}
