// A usage record for the bench to write, spread over 6 models, 20 users and 2 request types.

const PROVIDERS = [
  ['openai', 'gpt-4o'],
  ['openai', 'gpt-4o-mini'],
  ['anthropic', 'claude-sonnet-4-5'],
  ['anthropic', 'claude-haiku-4-5'],
  ['mistral', 'mistral-large-latest'],
  ['mistral', 'mistral-small-latest'],
];
const USERS = 20;
const REQUEST_TYPES = ['chat', 'summarize'];
const NOW = Date.UTC(2026, 10, 30, 12);

/** Usage number `index` on `day`, spread over 6 models, 20 users and 2 request types. */
export function commitRequest(index, day, now = NOW) {
  const [provider, model] = PROVIDERS[Math.floor(index / 7) % PROVIDERS.length];
  return {
    record: {
      requestId: `bench-${index}`,
      timestamp: NOW,
      day,
      provider,
      model,
      catalogModel: model,
      service: 'llm',
      requestType: REQUEST_TYPES[Math.floor(index / 3) % REQUEST_TYPES.length],
      userId: `u-${Math.floor(index / 11) % USERS}`,
      tags: [],
      cost: 1_000 + (index % 997),
      reserved: 0,
      overrun: 0,
      estimated: false,
      priceSource: 'genai-prices',
      inputTokens: 1_000,
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
    now,
  };
}
