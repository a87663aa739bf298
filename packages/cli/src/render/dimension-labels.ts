import type { RollupDimension } from '@tollgate/core';

/** The names people type in `--by`, used as column headers. */
export const DIMENSION_LABELS: Readonly<Record<RollupDimension, string>> = {
  provider: 'provider',
  model: 'model',
  catalogModel: 'catalog model',
  service: 'service',
  day: 'day',
  requestType: 'type',
  userId: 'user',
  projectId: 'project',
};

/** A group's value for display: calls recorded without a user or project show as `(none)`. */
export function dimensionValue(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? '(none)' : value;
}
