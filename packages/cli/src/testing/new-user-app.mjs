// An app as a new user writes it from the READMEs: budgets in code, an SQLite store (at the path
// the sqlite README gives, which the command reads by default), calls through the gate, and
// no config file anywhere. Run in the app's directory; TOLLGATE_APP_NOW pins its clock.
import { createBudget, createUsage } from '@tollgate/core';
import { SqliteStore } from '@tollgate/sqlite';

const now = Date.parse(process.env.TOLLGATE_APP_NOW ?? new Date().toISOString());
const budget = createBudget({
  store: new SqliteStore({ path: '.tollgate/tollgate.db' }),
  budgets: [
    { id: 'app', limitUsd: 5, period: 'month' },
    { id: 'per-user', limitUsd: 0.5, period: 'day', scope: 'user' },
    { id: 'per-team', limitUsd: 2, period: 'week', scope: 'tag' },
    { id: 'search-project', limitUsd: 1, period: 'month', scope: 'project', scopeValue: 'search' },
  ],
  clock: () => now,
});

const calls = [
  {
    model: 'gpt-4o-2024-08-06',
    served: 'gpt-4o-2024-08-06',
    userId: 'u-1',
    tags: ['beta'],
    input: 20_000,
    output: 2_000,
  },
  {
    model: 'gpt-4o',
    served: 'gpt-4o-2024-08-06',
    userId: 'u-2',
    projectId: 'search',
    input: 5_000,
    output: 500,
  },
  { model: 'gpt-4o-mini', userId: 'u-1', tags: ['beta', 'eu'], input: 50_000, output: 4_000 },
];
for (const [index, call] of calls.entries()) {
  const { model, served, input, output, ...context } = call;
  const admission = await budget.gate({
    provider: 'openai',
    model,
    inputTokens: input,
    maxOutputTokens: output,
    context,
  });
  await admission.settle({
    usage: createUsage({ inputTokens: input, outputTokens: output }),
    requestId: `chatcmpl-${index}`,
    ...(served ? { model: served } : {}),
  });
}
await budget.recordUsage({
  provider: 'anthropic',
  model: 'claude-3-5-haiku-20241022',
  usage: { inputTokens: 10_000, outputTokens: 1_000 },
  requestId: 'msg-0',
  context: { userId: 'u-2', tags: ['beta'] },
});
await budget.close();
const records = [];
const reader = new SqliteStore({ path: '.tollgate/tollgate.db' });
for (const record of await reader.readRecords({ limit: 100 })) records.push(record);
await reader.close();
process.stdout.write(JSON.stringify(records));
