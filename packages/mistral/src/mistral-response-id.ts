import { validateId } from '@tollgate/core';

/** The provider's response id as a record id, or undefined when it is missing or unusable as one. */
export function responseIdOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return validateId(value, 'response id');
  } catch {
    return undefined;
  }
}
