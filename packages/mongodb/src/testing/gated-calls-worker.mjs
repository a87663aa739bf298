// One app instance of the multi-process tests: CALLS concurrent gated calls on one shared budget
// through MongoStore, each settled with a cost no larger than its reservation. CALL (JSON) is the
// call: { model, maxOutputTokens, outputTokens: [least, spread] }, each call settled with
// least + (index × 37) % spread output tokens; LEASES (JSON, optional) the `leases` option.
// Prints one JSON line: { instanceId, admitted, refused, refusals, alerts, statusLeases, errors },
// where each refusal is the BudgetExceededError's { reason, neededNano, availableNano }.
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { BudgetExceededError, createBudget, createUsage } from '@tollgate/core';

const { MONGO_STORE_MODULE, MONGODB_URI, DB_NAME, LIMIT_USD, CALLS, CALL, LEASES } = process.env;
const { MongoStore } = await import(pathToFileURL(MONGO_STORE_MODULE).href);
const call = JSON.parse(CALL);
const leases = LEASES === undefined ? undefined : JSON.parse(LEASES);

const alerts = [];
const budget = createBudget({
  store: new MongoStore({ uri: MONGODB_URI, dbName: DB_NAME }),
  budgets: [{ id: 'shared', limitUsd: Number(LIMIT_USD), period: 'month' }],
  onAlert: (alert) => alerts.push(alert.level),
  admissionTimeoutMs: 60_000,
  ...(leases && { leases }),
});

let admitted = 0;
let refused = 0;
const refusals = [];
const errors = [];
await Promise.all(
  Array.from({ length: Number(CALLS) }, async (_, index) => {
    try {
      const admission = await budget.gate({
        provider: 'openai',
        model: call.model,
        inputTokens: 1_000,
        maxOutputTokens: call.maxOutputTokens,
      });
      await sleep(Math.floor(Math.random() * 20));
      const [least, spread] = call.outputTokens;
      await admission.settle({
        usage: createUsage({ inputTokens: 1_000, outputTokens: least + ((index * 37) % spread) }),
      });
      admitted += 1;
    } catch (error) {
      if (BudgetExceededError.isInstance(error)) {
        refused += 1;
        refusals.push({
          reason: error.reason,
          neededNano: error.neededNano,
          availableNano: error.availableNano,
        });
      } else errors.push(String(error?.stack ?? error));
    }
  }),
);
let statusLeases;
try {
  const [entry] = await budget.status();
  statusLeases = entry?.leases;
} catch (error) {
  errors.push(String(error?.stack ?? error));
}
await budget.close();
console.log(
  JSON.stringify({
    instanceId: leases?.instanceId,
    admitted,
    refused,
    refusals,
    alerts,
    statusLeases,
    errors,
  }),
);
