// An app whose first call is refused and not caught: the process dies of the unhandled
// rejection. Uses the BUILT package.
import { createBudget } from '@tollgate/core';
import { SqliteStore } from '../../dist/index.js';

const [path, limitUsd] = process.argv.slice(2);
const budget = createBudget({
  store: new SqliteStore({ path }),
  budgets: [{ id: 'app', limitUsd: Number(limitUsd), period: 'month' }],
});
await budget.gate({ provider: 'openai', model: 'gpt-4o', inputTokens: 100_000, maxOutputTokens: 10_000 });
