// A history of recorded usage for the benches that measure how cost grows with it.
import { createBudget, MemoryStore } from '../dist/index.js';

const HISTORY_DAY = Date.UTC(2026, 10, 15);
const HISTORY_PROVIDERS = ['openai', 'anthropic', 'mistral'];
const HISTORY_MODELS = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-haiku-4-5',
  mistral: 'mistral-small-latest',
};

/** Commits `count` usage records straight into a store, spread over 30 days, 3 providers, 4 request types and 20 users. */
export async function fillHistory(store, count) {
  for (let index = 0; index < count; index++) {
    const provider = HISTORY_PROVIDERS[index % 3];
    const day = new Date(HISTORY_DAY + (index % 30) * 86_400_000).toISOString().slice(0, 10);
    await store.commit({
      record: {
        requestId: `history-${index}`,
        timestamp: HISTORY_DAY,
        day,
        provider,
        model: HISTORY_MODELS[provider],
        service: 'llm',
        requestType: `type-${index % 4}`,
        userId: `user-${index % 20}`,
        tags: [],
        cost: 1_000 + (index % 97),
        reserved: 0,
        overrun: 0,
        estimated: false,
        priceSource: 'genai-prices',
        inputTokens: 1000,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 200,
        reasoningTokens: 0,
        audioMilliseconds: 0,
        characters: 0,
        images: 0,
        pages: 0,
      },
      counters: [{ budgetId: 'app', scope: 'global', period: 'month:2026-11', day }],
      now: HISTORY_DAY,
    });
  }
}

/** A budget of $1,000,000 a month on a MemoryStore holding `count` records, on 29 November 2026. */
export async function budgetWithHistory(count) {
  const store = new MemoryStore();
  await fillHistory(store, count);
  return createBudget({
    store,
    budgets: [{ id: 'app', limitUsd: 1_000_000 }],
    clock: () => Date.UTC(2026, 10, 29, 12),
  });
}
