import { nanoToUsd, type UsageRecord } from '@tollgate/core';

/** The fields of an exported record, in column order; every amount says its unit. */
export const EXPORT_COLUMNS = [
  'requestId',
  'time',
  'timestamp',
  'day',
  'provider',
  'model',
  'servedModel',
  'catalogModel',
  'service',
  'requestType',
  'userId',
  'projectId',
  'tags',
  'costUsd',
  'costNano',
  'reservedNano',
  'overrunNano',
  'estimated',
  'priceSource',
  'inputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'outputTokens',
  'reasoningTokens',
  'audioMilliseconds',
  'characters',
  'images',
  'pages',
] as const;

export type ExportColumn = (typeof EXPORT_COLUMNS)[number];
export type ExportValue = string | number | boolean | null | readonly string[];

/** One record as exported: the record's fields, its time in ISO 8601, and its amounts named by unit. */
export function exportRowOf(record: UsageRecord): Record<ExportColumn, ExportValue> {
  return {
    requestId: record.requestId,
    time: new Date(record.timestamp).toISOString(),
    timestamp: record.timestamp,
    day: record.day,
    provider: record.provider,
    model: record.model,
    servedModel: record.servedModel ?? null,
    catalogModel: record.catalogModel,
    service: record.service,
    requestType: record.requestType,
    userId: record.userId ?? null,
    projectId: record.projectId ?? null,
    tags: record.tags,
    costUsd: nanoToUsd(record.cost),
    costNano: record.cost,
    reservedNano: record.reserved,
    overrunNano: record.overrun,
    estimated: record.estimated,
    priceSource: record.priceSource,
    inputTokens: record.inputTokens,
    cacheReadTokens: record.cacheReadTokens,
    cacheWriteTokens: record.cacheWriteTokens,
    outputTokens: record.outputTokens,
    reasoningTokens: record.reasoningTokens,
    audioMilliseconds: record.audioMilliseconds,
    characters: record.characters,
    images: record.images,
    pages: record.pages,
  };
}
