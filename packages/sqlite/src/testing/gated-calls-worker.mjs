// One process of the multi-process test: opens the shared file through the BUILT package,
// says "ready", waits for "go" on stdin, then makes its gated calls all at once and prints
// one JSON line with each call's outcome and how many lease reservations it took.
import { createInterface } from 'node:readline';
import { BudgetExceededError, createBudget, createUsage } from '@tollgate/core';
import { SqliteStore } from '../../dist/index.js';

const [path, limitUsd, calls, leases] = process.argv.slice(2);
const store = new SqliteStore({ path });
let leaseReservations = 0;
const reserve = store.reserve.bind(store);
store.reserve = (request) => {
  if (request.reservationId.startsWith('lease~')) leaseReservations += 1;
  return reserve(request);
};
const budget = createBudget({
  store,
  budgets: [{ id: 'app', limitUsd: Number(limitUsd), period: 'month' }],
  // `leases`: calls admitted from quota leases, their records written behind.
  ...(leases === 'leases' && { leases: { instanceId: `worker-${process.pid}` } }),
});

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
await new Promise((resolve) => lines.once('line', resolve));
lines.close();

const sleep = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds));

async function gatedCall(index) {
  // Staggered starts, so later gates race against earlier settlements as well as each other.
  await sleep(index % 10);
  let admission;
  try {
    admission = await budget.gate({
      provider: 'openai',
      model: 'gpt-4o-mini',
      inputTokens: 1000,
      maxOutputTokens: 500,
    });
  } catch (error) {
    if (BudgetExceededError.isInstance(error)) return { admitted: false };
    throw error;
  }
  // The provider call: a few milliseconds, so settlements interleave with other gates.
  await sleep(index % 7);
  const settled = await admission.settle({
    usage: createUsage({ inputTokens: 1000, outputTokens: 100 + ((index * 37) % 400) }),
  });
  return { admitted: true, recorded: settled.recorded, cost: settled.cost.total };
}

const outcomes = await Promise.all(Array.from({ length: Number(calls) }, (_, index) => gatedCall(index)));
await budget.close();
process.stdout.write(`${JSON.stringify({ outcomes, leaseReservations })}\n`);
