// Reads back what an app recorded, through a fresh SqliteStore on its file, in the shape record-spend prints.
import { createBudget } from '@tollgate/core';
import { SqliteStore } from '@tollgate/sqlite';

const databasePath = process.argv[2];
const now = Date.parse(process.env.TOLLGATE_NOW);
const budget = createBudget({ store: new SqliteStore({ path: databasePath }), clock: () => now });
try {
  const { groups } = await budget.breakdown({ by: ['provider'] });
  const recorded = groups.map((group) => ({
    provider: group.key.provider,
    cost: group.costNano,
    requests: group.measures.requests,
  }));
  console.log(JSON.stringify(recorded));
} finally {
  await budget.close();
}
