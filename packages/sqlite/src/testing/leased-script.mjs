// A script that gates and settles calls from a quota lease on a SQLite file through the BUILT
// package, and ends without calling close() (with `exit`, through process.exit(); with `exit
// path`, the same with a spill file). Prints how many records were still unwritten.
import { createBudget, createUsage } from '@tollgate/core';
import { SqliteStore } from '../../dist/index.js';

const [path, calls, now, ending] = process.argv.slice(2);
const budget = createBudget({
  store: new SqliteStore({ path }),
  budgets: [{ id: 'team', limitUsd: 10, period: 'month' }],
  clock: () => Number(now),
  leases: {
    instanceId: 'script',
    flushIntervalMs: 3_600_000,
    minCalls: 100,
    ...(ending === 'exit-with-file' ? { path: `${path}.leases` } : {}),
  },
});
for (let index = 0; index < Number(calls); index++) {
  const admission = await budget.gate({
    provider: 'openai',
    model: 'gpt-4o-mini',
    inputTokens: 1000,
    maxOutputTokens: 100,
  });
  await admission.settle({ usage: createUsage({ inputTokens: 1000, outputTokens: 50 }) });
}
process.stdout.write(`${budget.pendingUsage}\n`);
if (ending?.startsWith('exit')) process.exit(0);
