import type { CounterKey, UsageRecord } from '@tollgate/core';

const SEPARATOR = '|';

/**
 * Joins validated parts into one `_id` string. `\` and `|` inside a part are escaped,
 * so two different lists of parts can never produce the same id.
 */
export function documentIdOf(parts: readonly string[]): string {
  return parts
    .map((part) => part.replaceAll('\\', '\\\\').replaceAll(SEPARATOR, `\\${SEPARATOR}`))
    .join(SEPARATOR);
}

/** One counter per budget, scope value and period. */
export function counterIdOf(key: CounterKey): string {
  return documentIdOf([key.budgetId, key.scope, key.period]);
}

/** One daily spend document per budget, scope value and day. */
export function dailySpendIdOf(key: { budgetId: string; scope: string; day: string }): string {
  return documentIdOf([key.budgetId, key.scope, key.day]);
}

/**
 * One rollup document per day and combination of report dimensions (missing user or project: '').
 * The catalog model is a part only when it differs from the model: a row whose call was priced
 * under its own name keeps the id it had before the catalog model was a dimension, so documents
 * written then go on counting (they have no `catalogModel` field and read it as their model).
 */
export function rollupIdOf(record: UsageRecord): string {
  const parts = [
    record.day,
    record.provider,
    record.model,
    record.service,
    record.requestType,
    record.userId ?? '',
    record.projectId ?? '',
  ];
  if (record.catalogModel !== record.model) parts.push(record.catalogModel);
  return documentIdOf(parts);
}
