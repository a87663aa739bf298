import assert from 'node:assert/strict';
import type {
  BudgetStore,
  CounterCharge,
  CounterKey,
  CounterLimit,
  UsageRecord,
} from '../store/store-contract';

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

/** The lease of the reservations the suite takes. */
export const LEASE_MS = 60_000;

/** Reserves `amount` on the counters (capacity 10,000 each) and checks that it was taken. */
export function reserveOn(
  store: BudgetStore,
  reservationId: string,
  amount: number,
  counters: readonly CounterKey[],
  options: { now?: number; leaseMs?: number } = {},
) {
  return store
    .reserve({
      reservationId,
      amount,
      counters: counters.map((counter) => ({ ...limit(counter.budgetId, 10_000), ...counter })),
      leaseMs: options.leaseMs ?? LEASE_MS,
      now: options.now ?? T0,
    })
    .then((result) => assert.equal(result.ok, true, `${reservationId} is reserved`));
}
