import type { ServiceType, UsageRecord } from '@tollgate/core';
import { numberOf } from './bson-number';

/** A usage record stored under its request id: a second delivery is a duplicate key, never a second charge. */
export interface UsageDocument extends Omit<UsageRecord, 'requestId' | 'tags'> {
  _id: string;
  tags: string[];
}

export function usageDocumentOf(record: UsageRecord): UsageDocument {
  const { requestId, tags, ...fields } = record;
  return { _id: requestId, ...fields, tags: [...tags] };
}

export function usageRecordOf(document: UsageDocument): UsageRecord {
  const count = (value: unknown) => numberOf(value);
  return {
    requestId: document._id,
    timestamp: count(document.timestamp),
    day: document.day,
    provider: document.provider,
    model: document.model,
    service: document.service as ServiceType,
    requestType: document.requestType,
    ...(typeof document.userId === 'string' ? { userId: document.userId } : {}),
    ...(typeof document.projectId === 'string' ? { projectId: document.projectId } : {}),
    tags: Array.isArray(document.tags) ? [...document.tags] : [],
    cost: count(document.cost),
    reserved: count(document.reserved),
    overrun: count(document.overrun),
    estimated: document.estimated === true,
    priceSource: document.priceSource,
    inputTokens: count(document.inputTokens),
    cacheReadTokens: count(document.cacheReadTokens),
    cacheWriteTokens: count(document.cacheWriteTokens),
    outputTokens: count(document.outputTokens),
    reasoningTokens: count(document.reasoningTokens),
    audioMilliseconds: count(document.audioMilliseconds),
    characters: count(document.characters),
    images: count(document.images),
    pages: count(document.pages),
  };
}
