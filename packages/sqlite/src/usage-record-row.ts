import type { ServiceType, UsageRecord } from '@tollgate/core';

/** A `usage_records` row, named as the statements bind and select it. */
export interface UsageRecordRow {
  requestId: string;
  timestamp: number;
  day: string;
  provider: string;
  model: string;
  servedModel: string | null;
  catalogModel: string;
  service: string;
  requestType: string;
  userId: string | null;
  projectId: string | null;
  tags: string;
  cost: number;
  reserved: number;
  overrun: number;
  estimated: number;
  priceSource: string;
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  audioMilliseconds: number;
  characters: number;
  images: number;
  pages: number;
  rawUsage: string | null;
}

export function usageRecordToRow(record: UsageRecord): UsageRecordRow {
  return {
    requestId: record.requestId,
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
    tags: JSON.stringify(record.tags),
    cost: record.cost,
    reserved: record.reserved,
    overrun: record.overrun,
    estimated: record.estimated ? 1 : 0,
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
    rawUsage: record.rawUsage ?? null,
  };
}

/** The record as it was committed: absent user and project ids stay absent, not `undefined`. */
export function usageRecordFromRow(row: UsageRecordRow): UsageRecord {
  return {
    requestId: row.requestId,
    timestamp: row.timestamp,
    day: row.day,
    provider: row.provider,
    model: row.model,
    ...(row.servedModel === null ? {} : { servedModel: row.servedModel }),
    catalogModel: row.catalogModel,
    service: row.service as ServiceType,
    requestType: row.requestType,
    ...(row.userId === null ? {} : { userId: row.userId }),
    ...(row.projectId === null ? {} : { projectId: row.projectId }),
    tags: JSON.parse(row.tags) as string[],
    cost: row.cost,
    reserved: row.reserved,
    overrun: row.overrun,
    estimated: row.estimated === 1,
    priceSource: row.priceSource,
    inputTokens: row.inputTokens,
    cacheReadTokens: row.cacheReadTokens,
    cacheWriteTokens: row.cacheWriteTokens,
    outputTokens: row.outputTokens,
    reasoningTokens: row.reasoningTokens,
    audioMilliseconds: row.audioMilliseconds,
    characters: row.characters,
    images: row.images,
    pages: row.pages,
    ...(row.rawUsage === null ? {} : { rawUsage: row.rawUsage }),
  };
}
