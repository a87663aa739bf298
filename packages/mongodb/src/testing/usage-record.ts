import type { UsageRecord } from '@tollgate/core';

/**
 * The record of one gpt-4o-mini chat call on 2026-11-29 ($0.0000001, 10 tokens in, 5 out), for
 * the store's tests; the fields given replace the defaults.
 */
export function usageRecord(
  fields: Pick<UsageRecord, 'requestId' | 'timestamp'> & Partial<UsageRecord>,
): UsageRecord {
  return {
    day: '2026-11-29',
    provider: 'openai',
    model: 'gpt-4o-mini',
    catalogModel: 'gpt-4o-mini',
    service: 'llm',
    requestType: 'chat',
    tags: [],
    cost: 100,
    reserved: 0,
    overrun: 0,
    estimated: false,
    priceSource: 'genai-prices',
    inputTokens: 10,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 5,
    reasoningTokens: 0,
    audioMilliseconds: 0,
    characters: 0,
    images: 0,
    pages: 0,
    ...fields,
  };
}
