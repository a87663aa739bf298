// One app instance of the bench's `leases` section (run.mjs starts several). It connects, warms
// up, prints `{"ready":true}`, waits for `go` on stdin, runs, prints one JSON line and exits.
//
// MODE=throughput: LOOPS concurrent loops of gate + settle (fixed usage) on one budget with a
//   large limit, for DURATION_MS after the start, then `flushUsage()` (so every record is written
//   within the time measured). LEASES=1 leases, LEASES=0 reserves per call. The store's client
//   counts the commands it sends; the counts start after WARMUP calls.
//   Prints { calls, commands, elapsedMs }.
// MODE=stranded: LOOPS loops gate + settle on a budget of LIMIT_USD, with leases, each until it
//   is refused. At this instance's first refusal it prints `{"refused":true}` and reads the holds
//   on the counter: the leases of the other instances (`lease~<instance>~<n>`) and how far the
//   counter was over its capacity (committed + reserved − capacity, when above 0). On `snapshot`
//   on stdin (sent by run.mjs to the others at the first refusal anywhere) it prints what its own
//   leases hold unspent at that moment: `{"unspentNano":…}`.
//   Prints { calls, heldByOthersNano, overNano }.
// MODE=writes: no gating: `commitMany` of WRITE_BATCH records at a time for DURATION_MS, to
//   measure how many records a second the server takes from this many processes.
//   Prints { records, elapsedMs }.
import { createInterface } from 'node:readline';
import { createBudget, createUsage, BudgetExceededError } from '@tollgate/core';
import { MongoClient } from 'mongodb';
import { MongoStore } from '../dist/index.js';
import { commitRequest } from './commit-request.mjs';

const { MODE, URI, DB_NAME, INSTANCE, LEASES, LOOPS, DURATION_MS, WARMUP, LIMIT_USD, WRITE_BATCH } =
  process.env;
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

const stdin = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
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
let closed = false;
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
} else if (MODE === 'writes') {
  const batch = Number(WRITE_BATCH);
  const first = Number(INSTANCE.replace(/\D/g, '')) * 1_000_000_000;
  let records = 0;
  const start = Date.now();
  while (Date.now() < start + Number(DURATION_MS)) {
    await store.commitMany(
      Array.from({ length: batch }, (_, index) => commitRequest(first + records + index, '2026-11-30')),
    );
    records += batch;
  }
  report({ records, elapsedMs: Date.now() - start });
} else {
  void answerSnapshots();
  let heldByOthers;
  let over;
  await loops(async () => {
    for (;;) {
      try {
        await call();
        calls += 1;
      } catch (error) {
        if (!BudgetExceededError.isInstance(error)) throw error;
        if (heldByOthers === undefined) {
          heldByOthers = 0;
          report({ refused: true });
          over = Math.max(0, -error.availableNano);
          const own = `lease~${INSTANCE}~`;
          for (const hold of await store.readHolds(key, Date.now()))
            if (hold.reservationId.startsWith('lease~') && !hold.reservationId.startsWith(own))
              heldByOthers += hold.amount;
        }
        return;
      }
    }
  });
  report({ calls, heldByOthersNano: heldByOthers, overNano: over });
}
closed = true;
await budget.close();
await client.close();

async function ready() {
  console.log(JSON.stringify({ ready: true }));
  await stdin.next();
}

/** What this instance's leases hold unspent, each time run.mjs asks. */
async function answerSnapshots() {
  for (;;) {
    const { done } = await stdin.next();
    if (done) return;
    // Once this instance is done, it has given its leases back.
    const [own] = closed ? [] : await budget.status().catch(() => []);
    report({ unspentNano: own?.leases?.unspentNano ?? 0 });
  }
}

function report(result) {
  console.log(JSON.stringify(result));
}
