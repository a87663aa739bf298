// A shared budget in MongoDB: two instances of the app, each with its own MongoStore,
// fire calls at the same time. Reservations are atomic in MongoDB, so together they
// never admit more worst cases than the budget holds.
import { BudgetExceededError, createBudget, formatUsd } from '@tollgate/core';
import { MongoStore } from '@tollgate/mongodb';
import { wrapOpenAI } from '@tollgate/openai';
import { MongoClient } from 'mongodb';
import { mongodbServer } from './mongodb-server';
import { openaiClient } from './provider-clients';
import { run } from './run';

/** The example's own database, emptied at the start so every run begins at $0. */
const DATABASE = 'tollgate_example_shared_budget';
const CALLS_PER_INSTANCE = 10;

run(async (context) => {
  const uri = await mongodbServer(context);
  if (!uri) return;
  const admin = new MongoClient(uri);
  await admin.db(DATABASE).dropDatabase();
  await admin.close();

  const { client: firstClient, emulator } = await openaiClient(context);
  const { client: secondClient } = await openaiClient(context);
  // Offline, slow the replies down so that every reservation is taken before any call settles.
  if (emulator) emulator.faults.latencyMs = 1_000;

  const instances = [firstClient, secondClient].map((client, index) => {
    const budget = createBudget({
      store: new MongoStore({ uri, dbName: DATABASE }),
      budgets: [{ id: 'shared', limitUsd: 0.1, period: 'total' }],
    });
    context.onClose(() => budget.close());
    return {
      name: `instance ${index + 1}`,
      budget,
      openai: wrapOpenAI(client, budget, { requestType: 'chat' }),
    };
  });

  // Each call may cost up to about $0.01: the $0.10 budget holds nine worst cases at once.
  const outcomes = await Promise.all(
    instances.flatMap(({ name, openai }) =>
      Array.from({ length: CALLS_PER_INSTANCE }, async () => {
        try {
          await openai.chat.completions.create({
            model: 'gpt-4o',
            max_completion_tokens: 1_000,
            messages: [{ role: 'user', content: 'Suggest a name for a kitchen shop.' }],
          });
          return `${name}: served`;
        } catch (error) {
          if (!BudgetExceededError.isInstance(error)) throw error;
          return `${name}: refused`;
        }
      }),
    ),
  );
  for (const name of instances.map((instance) => instance.name)) {
    const served = outcomes.filter((outcome) => outcome === `${name}: served`).length;
    console.log(`${name}: ${served} served, ${CALLS_PER_INSTANCE - served} refused`);
  }
  const served = outcomes.filter((outcome) => outcome.endsWith('served')).length;
  console.log(`together: ${served} served, ${outcomes.length - served} refused`);

  for (const { name, budget } of instances) {
    const [status] = await budget.status();
    console.log(
      `${name} sees: ${formatUsd(status!.usedNano)} spent of ${formatUsd(status!.limitNano)}, ${formatUsd(status!.reservedNano)} reserved, ${status!.alertLevel}`,
    );
  }
});
