import { suggestionFor } from './did-you-mean';
import { ValidationError } from './validation-error';

/** The longest id (budget, user, project, tag, request) a store accepts. */
export const MAX_ID_LENGTH = 256;
const FORBIDDEN_IDS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * An id that reaches a store or a report: a non-empty string of bounded length that
 * can never act as a MongoDB operator (`$…`) or a prototype key. `key: true` also
 * refuses dots, for ids used as names of things (budget ids, scope kinds, tags).
 */
export function validateId(value: unknown, field: string, options: { key?: boolean } = {}): string {
  if (typeof value !== 'string')
    throw new ValidationError({ field, message: `must be a string, got ${describeType(value)}` });
  if (value.length === 0) throw new ValidationError({ field, message: 'must not be empty' });
  if (value.length > MAX_ID_LENGTH)
    throw new ValidationError({ field, message: `must be at most ${MAX_ID_LENGTH} characters` });
  if (value.startsWith('$')) throw new ValidationError({ field, message: 'must not start with "$"' });
  if (FORBIDDEN_IDS.has(value)) throw new ValidationError({ field, message: 'is a reserved word' });
  if (hasControlCharacter(value))
    throw new ValidationError({ field, message: 'must not contain control characters' });
  if (options.key && value.includes('.'))
    throw new ValidationError({ field, message: 'must not contain "."' });
  return value;
}

/** A missing field (`undefined`) takes the default; anything else, `null` included, is checked as given. */
export function orDefault<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

export function validateOptionalId(
  value: unknown,
  field: string,
  options: { key?: boolean } = {},
): string | undefined {
  return value === undefined ? undefined : validateId(value, field, options);
}

/** A count of tokens, characters, pages…: a non-negative safe integer no larger than `max`. */
export function validateCount(value: unknown, field: string, max = 1e12): number {
  if (typeof value !== 'number' || Number.isNaN(value))
    throw new ValidationError({ field, message: `must be a number, got ${describeType(value)}` });
  if (!Number.isFinite(value)) throw new ValidationError({ field, message: 'must be finite' });
  if (value < 0) throw new ValidationError({ field, message: 'must not be negative' });
  if (!Number.isInteger(value)) throw new ValidationError({ field, message: 'must be a whole number' });
  if (value > max) throw new ValidationError({ field, message: `must be at most ${max}` });
  return value;
}

/** A non-negative finite quantity that may be fractional (audio seconds, USD). */
export function validateQuantity(value: unknown, field: string, max = 1e12): number {
  if (typeof value !== 'number' || Number.isNaN(value))
    throw new ValidationError({ field, message: `must be a number, got ${describeType(value)}` });
  if (!Number.isFinite(value)) throw new ValidationError({ field, message: 'must be finite' });
  if (value < 0) throw new ValidationError({ field, message: 'must not be negative' });
  if (value > max) throw new ValidationError({ field, message: `must be at most ${max}` });
  return value;
}

export function validateOneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    const suggestion = typeof value === 'string' ? suggestionFor(value, allowed) : '';
    throw new ValidationError({ field, message: `must be one of ${allowed.join(', ')}${suggestion}` });
  }
  return value as T;
}

export function validatePlainObject(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError({ field, message: `must be an object, got ${describeType(value)}` });
  }
  return value as Record<string, unknown>;
}

export function validateArray(value: unknown, field: string, max = Number.MAX_SAFE_INTEGER): unknown[] {
  if (!Array.isArray(value))
    throw new ValidationError({ field, message: `must be an array, got ${describeType(value)}` });
  if (value.length > max) throw new ValidationError({ field, message: `must have at most ${max} items` });
  return value;
}

export function validateFunction(value: unknown, field: string): Function {
  if (typeof value !== 'function')
    throw new ValidationError({ field, message: `must be a function, got ${describeType(value)}` });
  return value;
}

export function validateBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean')
    throw new ValidationError({ field, message: `must be true or false, got ${describeType(value)}` });
  return value;
}

export function validateDate(value: unknown, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw new ValidationError({ field, message: 'must be a valid Date' });
  return value;
}

/** Control characters have no place in an id and would corrupt logs and keys. */
function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  return typeof value;
}
