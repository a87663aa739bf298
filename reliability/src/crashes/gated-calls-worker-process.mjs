// A worker process of the crash test: CONCURRENCY callers make gated calls on a shared store
// until it is killed (bounded by MAX_CALLS and MAX_MS all the same). It prints `G <id>` before
// a gate, `S <id> <cost> <buffered>` after a settle, `E <id> <error name>` on a refusal. Its
// usage buffer spills to SPILL_PATH, so the next worker on that file replays what waited.
// With MAX_CALLS=0 it only replays the spill file and exits, printing REPLAYED <remaining>.
import { setTimeout as sleep } from 'node:timers/promises';
import { createBudget, createUsage } from '@tollgate/core';
import { MongoStore } from '@tollgate/mongodb';
import { SqliteStore } from '@tollgate/sqlite';

const env = process.env;
const store =
  env.STORE === 'mongodb'
    ? new MongoStore({
        uri: env.MONGODB_URI,
        dbName: env.DB_NAME,
        clientOptions: { serverSelectionTimeoutMS: 1_000, connectTimeoutMS: 1_000, socketTimeoutMS: 2_000 },
      })
    : new SqliteStore({ path: env.SQLITE_PATH, busyTimeoutMs: 100 });
const budget = createBudget({
  store,
  budgets: [{ id: 'app', limitUsd: Number(env.LIMIT_USD), period: 'total' }],
  leaseMs: Number(env.LEASE_MS),
  admissionTimeoutMs: 1_000,
  usageBuffer: { path: env.SPILL_PATH, retryIntervalMs: 200 },
});
const maxCalls = Number(env.MAX_CALLS);

if (maxCalls === 0) {
  let remaining = budget.pendingUsage;
  for (let attempt = 0; attempt < 40 && remaining > 0; attempt++) {
    remaining = await budget.flushUsage();
    if (remaining > 0) await sleep(250);
  }
  await budget.close();
  console.log(`REPLAYED ${remaining}`);
} else {
  await budget.status();
  console.log(`READY ${budget.pendingUsage}`);
  const end = Date.now() + Number(env.MAX_MS);
  let issued = 0;
  const caller = async () => {
    while (issued < maxCalls && Date.now() < end) {
      const index = issued++;
      const requestId = `${env.PREFIX}-${index}`;
      console.log(`G ${requestId}`);
      try {
        const admission = await budget.gate({
          provider: 'openai',
          model: 'gpt-4o-mini',
          inputTokens: 1_000,
          maxOutputTokens: 100,
          requestId,
        });
        await sleep(index % 5);
        const settled = await admission.settle({
          usage: createUsage({ inputTokens: 1_000, outputTokens: 1 + ((index * 37) % 100) }),
          requestId,
        });
        console.log(`S ${requestId} ${settled.cost.total} ${settled.buffered ? 1 : 0}`);
      } catch (error) {
        console.log(`E ${requestId} ${error?.name}`);
        await sleep(20);
      }
    }
  };
  await Promise.all(Array.from({ length: Number(env.CONCURRENCY) }, caller));
  await budget.close();
  console.log('DONE');
}
