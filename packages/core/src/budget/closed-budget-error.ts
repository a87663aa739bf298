import { ValidationError } from '../errors/validation-error';

/** Whatever the store, a closed budget gates and records nothing: a late call is told so, not admitted. */
export function closedError(operation: string): ValidationError {
  return new ValidationError({
    field: 'budget',
    message: `is closed (budget.close() was called): ${operation}() takes no more calls; create a budget to go on`,
  });
}
