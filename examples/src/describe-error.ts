import {
  BudgetExceededError,
  formatUsd,
  StorageUnavailableError,
  TollgateError,
  ValidationError,
} from '@tollgate/core';

/** A readable account of an error, with the fields that matter for tollgate's typed errors. */
export function describeError(error: unknown): string {
  if (BudgetExceededError.isInstance(error)) {
    return [
      `BudgetExceededError: ${error.message}`,
      `  budget ${error.budgetId} (${error.scopeKey}), level ${error.alertLevel}, reason ${error.reason}`,
      `  needed ${formatUsd(error.neededNano)}, available ${formatUsd(Math.max(0, error.availableNano))}`,
    ].join('\n');
  }
  if (ValidationError.isInstance(error)) {
    return `ValidationError: ${error.message}\n  field ${error.field}`;
  }
  if (StorageUnavailableError.isInstance(error)) {
    const cause = error.cause instanceof Error ? `\n  cause ${error.cause.message}` : '';
    return `StorageUnavailableError: ${error.message}${cause}`;
  }
  if (TollgateError.isInstance(error)) return `${error.name}: ${error.message}`;
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
