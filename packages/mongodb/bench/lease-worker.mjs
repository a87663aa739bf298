// One app instance of the bench's `leases` section (run.mjs starts several). It connects, warms
// up, prints `{"ready":true}`, waits for a line on stdin, runs, prints one JSON line and exits.
//
// MODE=throughput: LOOPS concurrent loops of gate + settle (fixed usage) on one budget with a
//   large limit, for DURATION_MS after the start, then `flushUsage()` (so every record is written
//   within the time measured). LEASES=1 leases, LEASES=0 reserves per call. The store's client
//   counts the commands it sends; the counts start after WARMUP calls.
//   Prints { calls, commands, elapsedMs }.
// MODE=stranded: LOOPS loops gate + settle on a budget of LIMIT_USD, with leases, each until it
//   is refused. At this instance's first refusal it reads the holds on the counter and sums the
//   leases of the other instances (`lease~<instance>~<n>`), and keeps how far the refusal found
//   the counter over its capacity (committed + reserved − capacity, when above 0).
//   Prints { calls, strandedNano, overNano }.
import { once } from 'node:events';
import { createBudget, createUsage, BudgetExceededError } from '@tollgate/core';
import { MongoClient } from 'mongodb';
import { MongoStore } from '../dist/index.js';

const { MODE, URI, DB_NAME, INSTANCE, LEASES, LOOPS, DURATION_MS, WARMUP, LIMIT_USD } = process.env;
const leasing = LEASES !== '0';
const client = new MongoClient(URI, { monitorCommands: true });
let commands = 0;
client.on('commandStarted', () => {
  commands += 1;
});
const store = new MongoStore({ client, dbName: DB_NAME });
const budget = createBudget({
  store,
  budgets: [{ id: 'shared', limitUsd: Number(LIMIT_USD), period: 'month' }],
  ...(leasing && { leases: { instanceId: INSTANCE } }),
  admissionTimeoutMs: 60_000,
});
const usage = createUsage({ inputTokens: 1_000, outputTokens: 200 });
const call = async () => {
  const admission = await budget.gate({
    provider: 'openai',
    model: 'gpt-4o-mini',
    inputTokens: 1_000,
    maxOutputTokens: 500,
  });
  await admission.settle({ usage });
};
const loops = (body) => Promise.all(Array.from({ length: Number(LOOPS) }, body));

const [status] = await budget.status(); // connects and creates the indexes
const key = { budgetId: status.budgetId, scope: status.scope, period: status.periodKey };
if (MODE === 'throughput') {
  let warmup = Number(WARMUP);
  await loops(async () => {
    while (warmup-- > 0) await call();
  });
  await budget.flushUsage();
}
await ready();

let calls = 0;
if (MODE === 'throughput') {
  commands = 0;
  const start = Date.now();
  const end = start + Number(DURATION_MS);
  await loops(async () => {
    while (Date.now() < end) {
      await call();
      calls += 1;
    }
  });
  await budget.flushUsage();
  const elapsedMs = Date.now() - start;
  report({ calls, commands, elapsedMs });
} else {
  let stranded;
  let over;
  await loops(async () => {
    for (;;) {
      try {
        await call();
        calls += 1;
      } catch (error) {
        if (!BudgetExceededError.isInstance(error)) throw error;
        if (stranded === undefined) {
          stranded = 0;
          over = Math.max(0, -error.availableNano);
          const own = `lease~${INSTANCE}~`;
          for (const hold of await store.readHolds(key, Date.now()))
            if (hold.reservationId.startsWith('lease~') && !hold.reservationId.startsWith(own))
              stranded += hold.amount;
        }
        return;
      }
    }
  });
  report({ calls, strandedNano: stranded, overNano: over });
}
await budget.close();
await client.close();

async function ready() {
  console.log(JSON.stringify({ ready: true }));
  process.stdin.setEncoding('utf8');
  await once(process.stdin, 'data');
  process.stdin.pause();
}

function report(result) {
  console.log(JSON.stringify(result));
}
