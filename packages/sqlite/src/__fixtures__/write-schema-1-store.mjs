// Writes schema-1-store.db: a store as @tollgate/sqlite wrote it at schema version 1 (store contract
// v1), for the migration test. It was run once with the packages of that version (built from the
// commit before store contract v2), from packages/sqlite:
//   node src/__fixtures__/write-schema-1-store.mjs src/__fixtures__/schema-1-store.db
// It cannot run against later versions, which write the newer schema.
import { createBudget } from '@tollgate/core';
import { SqliteStore } from '../../dist/index.js';

const path = process.argv[2];
let now = Date.UTC(2026, 10, 28, 9, 0, 0);
const budget = createBudget({
  store: new SqliteStore({ path }),
  budgets: [
    { id: 'app', limitUsd: 30, period: 'month', timeZone: 'Europe/Paris' },
    { id: 'per-user', limitUsd: 2, period: 'day', scope: 'user' },
  ],
  clock: () => now,
});
const calls = [
  ['openai', 'gpt-4o-2024-08-06', 'u-1', 0],
  ['anthropic', 'claude-3-5-haiku-20241022', 'u-2', 60_000],
  ['openai', 'gpt-4o-mini', undefined, 3_600_000],
  ['openai', 'gpt-4o-2024-08-06', 'u-1', 86_400_000],
  ['anthropic', 'claude-3-5-haiku-20241022', 'u-1', 86_460_000],
];
for (const [index, [provider, model, userId, offset]] of calls.entries()) {
  now = Date.UTC(2026, 10, 28, 9, 0, 0) + offset;
  await budget.recordUsage({
    provider,
    model,
    requestId: `v1-call-${index}`,
    usage: { inputTokens: 10_000 * (index + 1), outputTokens: 1_000 },
    context: { requestType: index % 2 === 0 ? 'chat' : 'summarize', ...(userId ? { userId } : {}) },
  });
}
// A call still in flight: its hold (a lease of a week) must survive the migration.
now = Date.UTC(2026, 10, 29, 12, 0, 0);
await createBudget({
  store: budget.store,
  budgets: [{ id: 'app', limitUsd: 30, period: 'month', timeZone: 'Europe/Paris' }],
  clock: () => now,
  leaseMs: 7 * 86_400_000,
}).gate({ provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1_000, maxOutputTokens: 1_000 });
await budget.close();
