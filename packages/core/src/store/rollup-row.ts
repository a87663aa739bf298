import type { RollupMeasure, RollupRow, UsageRecord } from './store-contract';

/** The identity of the rollup row a record adds to. Stores use it as the row's key. */
export function rollupKeyOf(record: UsageRecord): string {
  return `${record.day}\u0000${record.provider}\u0000${record.model}\u0000${record.catalogModel}\u0000${record.service}\u0000${record.requestType}\u0000${record.userId ?? ''}\u0000${record.projectId ?? ''}`;
}

/** Whether a record adds to this row: the same day, provider, model, catalog model, service, request type, user and project. */
export function isRollupRowOf(row: RollupRow, record: UsageRecord): boolean {
  return (
    row.day === record.day &&
    row.provider === record.provider &&
    row.model === record.model &&
    row.catalogModel === record.catalogModel &&
    row.service === record.service &&
    row.requestType === record.requestType &&
    row.userId === (record.userId ?? '') &&
    row.projectId === (record.projectId ?? '')
  );
}

export function rollupRowOf(record: UsageRecord): RollupRow {
  return {
    day: record.day,
    provider: record.provider,
    model: record.model,
    catalogModel: record.catalogModel,
    service: record.service,
    requestType: record.requestType,
    userId: record.userId ?? '',
    projectId: record.projectId ?? '',
    ...rollupMeasuresOf(record),
  };
}

/** What one record adds to its rollup row; stores use it to keep their rollups. */
export function rollupMeasuresOf(record: UsageRecord): Record<RollupMeasure, number> {
  return {
    cost: record.cost,
    requests: 1,
    inputTokens: record.inputTokens,
    cacheReadTokens: record.cacheReadTokens,
    cacheWriteTokens: record.cacheWriteTokens,
    outputTokens: record.outputTokens,
    reasoningTokens: record.reasoningTokens,
    audioMilliseconds: record.audioMilliseconds,
    characters: record.characters,
    images: record.images,
    pages: record.pages,
    estimatedRequests: record.estimated ? 1 : 0,
  };
}

export function addToRollupRow(row: RollupRow, record: UsageRecord): void {
  row.cost += record.cost;
  row.requests += 1;
  row.inputTokens += record.inputTokens;
  row.cacheReadTokens += record.cacheReadTokens;
  row.cacheWriteTokens += record.cacheWriteTokens;
  row.outputTokens += record.outputTokens;
  row.reasoningTokens += record.reasoningTokens;
  row.audioMilliseconds += record.audioMilliseconds;
  row.characters += record.characters;
  row.images += record.images;
  row.pages += record.pages;
  if (record.estimated) row.estimatedRequests += 1;
}
