// An app instance for the kill-while-buffered test. ROLE=load: admits CALLS gated calls while
// the store is up, prints ADMITTED, waits for SETTLE on stdin (the parent takes the store down
// first), settles them all (the usage waits in the buffer and its spill file), prints one
// SETTLED <json> line and then waits to be killed. ROLE=replay: a restarted instance on the
// same spill file, which writes what waits and prints REPLAYED <json>.
import { createInterface } from 'node:readline';
import { createBudget, createUsage } from '@tollgate/core';
import { MongoStore } from '@tollgate/mongodb';
import { SqliteStore } from '@tollgate/sqlite';

const { ROLE, STORE, MONGODB_URI, DB_NAME, SQLITE_PATH, SPILL_PATH, CALLS, PREFIX } = process.env;

const store =
  STORE === 'mongodb'
    ? new MongoStore({
        uri: MONGODB_URI,
        dbName: DB_NAME,
        clientOptions: { serverSelectionTimeoutMS: 1_000, connectTimeoutMS: 1_000, socketTimeoutMS: 2_000 },
      })
    : new SqliteStore({ path: SQLITE_PATH, busyTimeoutMs: 100 });
const budget = createBudget({
  store,
  budgets: [{ id: 'app', limitUsd: 100, period: 'total' }],
  admissionTimeoutMs: 1_000,
  leaseMs: 2_000,
  // The parent decides when the store is back: no background retry in between.
  usageBuffer: { path: SPILL_PATH, retryIntervalMs: 3_600_000 },
});

if (ROLE === 'replay') {
  const waiting = budget.pendingUsage;
  let remaining = waiting;
  for (let attempt = 0; attempt < 40 && remaining > 0; attempt++) {
    remaining = await budget.flushUsage();
    if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await budget.close();
  console.log(`REPLAYED ${JSON.stringify({ waiting, remaining })}`);
} else {
  const admissions = [];
  for (let index = 0; index < Number(CALLS); index++) {
    admissions.push(
      await budget.gate({
        provider: 'openai',
        model: 'gpt-4o-mini',
        inputTokens: 1_000,
        maxOutputTokens: 100,
        requestId: `${PREFIX}-${index}`,
      }),
    );
  }
  console.log('ADMITTED');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) if (line === 'SETTLE') break;
  const settled = await Promise.all(
    admissions.map(async (admission, index) => {
      const call = await admission.settle({
        usage: createUsage({ inputTokens: 1_000, outputTokens: 1 + ((index * 37) % 100) }),
        requestId: admission.requestId,
      });
      return { requestId: admission.requestId, cost: call.cost.total, buffered: call.buffered };
    }),
  );
  console.log(`SETTLED ${JSON.stringify({ settled, pending: budget.pendingUsage })}`);
  // Waits here with the usage still buffered, until the parent kills the process.
  setInterval(() => {}, 60_000);
}
