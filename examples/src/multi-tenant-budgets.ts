// Multi-tenant budgets: every call is charged to the app's monthly budget and to the
// calling user's daily budget. A user who reaches their limit is refused; the others
// go on being served.
import { BudgetExceededError, createBudget, formatUsd } from '@tollgate/core';
import { wrapOpenAI } from '@tollgate/openai';
import { openaiClient } from './provider-clients';
import { run } from './run';

run(async (context) => {
  const budget = createBudget({
    budgets: [
      { id: 'app', limitUsd: 30, period: 'month', timeZone: 'UTC' },
      { id: 'per-user', limitUsd: 0.05, period: 'day', timeZone: 'UTC', scope: 'user' },
    ],
  });
  context.onClose(() => budget.close());
  const { client, emulator } = await openaiClient(context);
  // Offline, make the emulator answer at length, as a detailed plan would be.
  if (emulator) emulator.usage.outputTokens = 1_500;
  const openai = wrapOpenAI(client, budget, { requestType: 'assistant' });

  const ask = (userId: string) =>
    // The user id comes from the app's session, never from the request body.
    budget.withContext({ userId }, () =>
      openai.chat.completions.create({
        model: 'gpt-4o',
        max_completion_tokens: 2_000,
        messages: [{ role: 'user', content: 'Plan my kitchen renovation in detail.' }],
      }),
    );

  // Ana asks again and again; Ben asks twice.
  for (const userId of ['u-ana', 'u-ana', 'u-ben', 'u-ana', 'u-ben']) {
    try {
      await ask(userId);
      console.log(`${userId}: served`);
    } catch (error) {
      if (!BudgetExceededError.isInstance(error)) throw error;
      console.log(
        `${userId}: refused by budget "${error.budgetId}" (${error.scopeKey}): needs up to ${formatUsd(error.neededNano)}, ${formatUsd(Math.max(0, error.availableNano))} left today`,
      );
    }
  }

  for (const userId of ['u-ana', 'u-ben']) {
    console.log(`\nstatus for ${userId}:`);
    for (const status of await budget.status({ userId })) {
      console.log(
        `  ${status.budgetId.padEnd(9)} ${status.scope.padEnd(11)} ${formatUsd(status.usedNano).padStart(8)} of ${formatUsd(status.limitNano).padEnd(6)} per ${status.period.padEnd(5)} ${status.alertLevel}`,
      );
    }
  }
  const byUser = await budget.breakdown({ by: ['userId'] });
  console.log('\nspend by user:');
  for (const group of byUser.groups) {
    console.log(`  ${group.key.userId}: ${formatUsd(group.costNano)} over ${group.measures.requests} calls`);
  }
});
