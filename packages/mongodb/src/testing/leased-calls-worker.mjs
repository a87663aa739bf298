// One app instance of the multi-process lease test: CALLS concurrent gated calls on one shared
// budget through MongoStore, with quota leases (LEASES: the `leases` option as JSON), each
// settled with a cost no larger than its reservation.
// Prints one JSON line: { instanceId, admitted, refused, refusals, statusLeases, errors }, where
// each refusal is the BudgetExceededError's { reason, neededNano, availableNano }.
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { BudgetExceededError, createBudget, createUsage } from '@tollgate/core';

const { MONGO_STORE_MODULE, MONGODB_URI, DB_NAME, LIMIT_USD, CALLS, LEASES } = process.env;
const { MongoStore } = await import(pathToFileURL(MONGO_STORE_MODULE).href);

const leases = JSON.parse(LEASES);
const budget = createBudget({
  store: new MongoStore({ uri: MONGODB_URI, dbName: DB_NAME }),
  budgets: [{ id: 'shared', limitUsd: Number(LIMIT_USD), period: 'month' }],
  leases,
  admissionTimeoutMs: 60_000,
});

let admitted = 0;
let refused = 0;
const refusals = [];
const errors = [];
await Promise.all(
  Array.from({ length: Number(CALLS) }, async (_, index) => {
    try {
      // gpt-4o: 1,000 input tokens and at most 200 output tokens hold about $0.0045.
      const admission = await budget.gate({
        provider: 'openai',
        model: 'gpt-4o',
        inputTokens: 1_000,
        maxOutputTokens: 200,
      });
      await sleep(Math.floor(Math.random() * 20));
      await admission.settle({
        usage: createUsage({ inputTokens: 1_000, outputTokens: 20 + ((index * 37) % 181) }),
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
    instanceId: leases.instanceId,
    admitted,
    refused,
    refusals,
    statusLeases,
    errors,
  }),
);
