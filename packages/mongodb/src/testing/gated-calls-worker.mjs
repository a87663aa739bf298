// One app instance of the multi-process test: CALLS concurrent gated calls on one shared
// budget through MongoStore, each settled with a cost no larger than its reservation.
// Prints one JSON line: { admitted, refused, alerts, errors }.
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { BudgetExceededError, createBudget, createUsage } from '@tollgate/core';

const { MONGO_STORE_MODULE, MONGODB_URI, DB_NAME, LIMIT_USD, CALLS } = process.env;
const { MongoStore } = await import(pathToFileURL(MONGO_STORE_MODULE).href);

const alerts = [];
const budget = createBudget({
  store: new MongoStore({ uri: MONGODB_URI, dbName: DB_NAME }),
  budgets: [{ id: 'shared', limitUsd: Number(LIMIT_USD), period: 'month' }],
  onAlert: (alert) => alerts.push(alert.level),
  admissionTimeoutMs: 60_000,
});

let admitted = 0;
let refused = 0;
const errors = [];
await Promise.all(
  Array.from({ length: Number(CALLS) }, async (_, index) => {
    try {
      const admission = await budget.gate({
        provider: 'openai',
        model: 'gpt-4o-mini',
        inputTokens: 1_000,
        maxOutputTokens: 1_000,
      });
      await sleep(Math.floor(Math.random() * 20));
      // Each call costs most of what it reserved, so that the calls admitted first carry the
      // spend past the ORANGE alert level however the processes interleave.
      await admission.settle({
        usage: createUsage({ inputTokens: 1_000, outputTokens: 600 + ((index * 37) % 400) }),
      });
      admitted += 1;
    } catch (error) {
      if (BudgetExceededError.isInstance(error)) refused += 1;
      else errors.push(String(error?.stack ?? error));
    }
  }),
);
await budget.close();
console.log(JSON.stringify({ admitted, refused, alerts, errors }));
