import { createUsage, type Usage, type UsageInput, ValidationError } from '../index';
import { UntrustedUsageError } from './untrusted-usage-error';

/** The bounds a usage block's counts must stay within. */
export interface UsageLimits {
  /** No single count may exceed the model's context window (tokens). Default: `DEFAULT_CONTEXT_BOUND`. */
  readonly contextWindow?: number;
}

/**
 * The bound on any one count when the model's context window is not known: 10 million tokens,
 * above every context window offered today, far below a count that would make a record absurd.
 */
export const DEFAULT_CONTEXT_BOUND = 10_000_000;

/** A usage block's fields, as `readUsageBlock` hands them to an adapter's mapping. */
export type UsageBlockFields = Readonly<Record<string, unknown>>;
const EMPTY: UsageBlockFields = Object.freeze({});

/**
 * Reads the counts of one usage block for an adapter's field mapping, and notes the first thing
 * that makes the block untrustworthy. A field that is absent or `null` reads as 0 (a problem when
 * it is required); a bad one reads as 0 too, so that the mapping can go on, and the block is then
 * refused as a whole.
 */
export class UsageBlockReader {
  #problem: string | undefined;
  readonly #bound: number;

  constructor(limits: UsageLimits = {}) {
    this.#bound = limits.contextWindow ?? DEFAULT_CONTEXT_BOUND;
  }

  /** What makes the block untrustworthy, or undefined. */
  get problem(): string | undefined {
    return this.#problem;
  }

  /** A token count: a whole, finite, non-negative number no larger than the context window. */
  count(value: unknown, field: string, options: { required?: boolean } = {}): number {
    const number = this.number(value, field, options.required === true);
    if (number === undefined) return 0;
    if (!Number.isInteger(number)) return this.refuse(`${field} is not a whole number`);
    if (number > this.#bound)
      return this.refuse(`${field} is beyond the model's context window (${this.#bound} tokens)`);
    return number;
  }

  /** A quantity that may be fractional (seconds of audio): finite and non-negative. */
  quantity(value: unknown, field: string, options: { required?: boolean } = {}): number {
    return this.number(value, field, options.required === true) ?? 0;
  }

  /** A nested block of details: absent or `null` is empty; anything but an object is a problem. */
  details(value: unknown, field: string): UsageBlockFields {
    if (value === undefined || value === null) return EMPTY;
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.refuse(`${field} is ${describe(value)}, not an object`);
      return EMPTY;
    }
    return value as UsageBlockFields;
  }

  /** A list of nested blocks (Anthropic's `iterations`): absent or `null` is empty. */
  list(value: unknown, field: string): readonly unknown[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    this.refuse(`${field} is ${describe(value)}, not an array`);
    return [];
  }

  /** A part the provider reports beside its total (cached tokens within the prompt's) must not exceed it. */
  partOf(part: number, partField: string, total: number, totalField: string): void {
    if (part > total) this.refuse(`${partField} is above ${totalField}`);
  }

  /** Notes a problem the mapping found itself; reads as 0. */
  refuse(problem: string): number {
    this.#problem ??= problem;
    return 0;
  }

  private number(value: unknown, field: string, required: boolean): number | undefined {
    if (value === undefined || value === null) {
      if (required) this.refuse(`${field} is missing`);
      return undefined;
    }
    if (typeof value !== 'number' || Number.isNaN(value)) {
      this.refuse(`${field} is ${describe(value)}, not a number`);
      return undefined;
    }
    if (!Number.isFinite(value)) {
      this.refuse(`${field} is not finite`);
      return undefined;
    }
    if (value < 0) {
      this.refuse(`${field} is negative`);
      return undefined;
    }
    return value;
  }
}

/**
 * The one rule for a provider's usage block: it is an object, every count in it is a whole,
 * finite, non-negative number within the model's context window, and no part is above its
 * total. `map` is the adapter's field mapping, from the block's fields to tollgate's usage,
 * reading each count through the reader. Throws `UntrustedUsageError` when the block breaks the
 * rule (the caller rebuilds the usage instead); the block is kept as the usage's `raw`.
 */
export function readUsageBlock(
  block: unknown,
  limits: UsageLimits | undefined,
  map: (fields: UsageBlockFields, read: UsageBlockReader) => UsageInput,
): Usage {
  if (block === undefined || block === null) throw new UntrustedUsageError('no usage was reported', block);
  if (typeof block !== 'object' || Array.isArray(block))
    throw new UntrustedUsageError(`the usage is ${describe(block)}, not an object`, block);
  const reader = new UsageBlockReader(limits);
  const input = map(block as UsageBlockFields, reader);
  if (reader.problem !== undefined) throw new UntrustedUsageError(reader.problem, block);
  input.raw = block;
  try {
    return createUsage(input);
  } catch (error) {
    // A relation the mapping left unchecked (reasoning and audio above the output…).
    if (ValidationError.isInstance(error)) throw new UntrustedUsageError(error.message, block);
    throw error;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  const type = typeof value;
  if (type === 'undefined') return type;
  return type === 'object' ? 'an object' : `a ${type}`;
}
