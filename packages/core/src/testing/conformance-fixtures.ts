import type { CounterCharge, CounterLimit, UsageRecord } from '../store/store-contract';

export const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);
export const DAY = '2026-11-29';

export function key(budgetId: string) {
  return { budgetId, scope: 'global', period: 'month:2026-11' };
}

export function limit(budgetId: string, capacity: number): CounterLimit {
  return { ...key(budgetId), capacity, periodEnd: Date.UTC(2026, 11, 1) };
}

export function charge(budgetId: string): CounterCharge {
  return { ...key(budgetId), day: DAY };
}

/** A record of one call; the catalog model follows the model unless given. */
export function record(requestId: string, cost: number, overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    requestId,
    timestamp: T0,
    day: DAY,
    provider: 'openai',
    model: 'gpt-4o',
    service: 'llm',
    requestType: 'chat',
    tags: [],
    cost,
    reserved: cost,
    overrun: 0,
    estimated: false,
    priceSource: 'genai-prices',
    inputTokens: 1000,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 100,
    reasoningTokens: 0,
    audioMilliseconds: 0,
    characters: 0,
    images: 0,
    pages: 0,
    ...overrides,
    catalogModel: overrides.catalogModel ?? overrides.model ?? 'gpt-4o',
  };
}
