// Quick start: wrap the OpenAI client, make a call, read the budget's status, see a refusal.
import { BudgetExceededError, createBudget, formatUsd } from '@tollgate/core';
import { wrapOpenAI } from '@tollgate/openai';
import { describeError } from './describe-error';
import { openaiClient } from './provider-clients';
import { run } from './run';

run(async (context) => {
  const budget = createBudget({
    budgets: [{ id: 'app', limitUsd: 30, period: 'month', timeZone: 'UTC' }],
    onAlert: (alert) => console.warn(alert.message),
  });
  context.onClose(() => budget.close());
  const { client } = await openaiClient(context);
  const openai = wrapOpenAI(client, budget, { requestType: 'chat' });

  // The same client and types as before: the call is reserved, made, then recorded at its real cost.
  const completion = await budget.withContext({ userId: 'u-42' }, () =>
    openai.chat.completions.create({
      model: 'gpt-4o-mini',
      max_completion_tokens: 20,
      messages: [{ role: 'user', content: 'Say hello to the budget in five words.' }],
    }),
  );
  console.log(`reply: ${completion.choices[0]?.message.content}`);
  console.log(
    `usage: ${completion.usage?.prompt_tokens} tokens in, ${completion.usage?.completion_tokens} out`,
  );

  const [status] = await budget.status();
  console.log(
    `budget "${status!.budgetId}": ${formatUsd(status!.usedNano)} used of ${formatUsd(status!.limitNano)}, ${status!.alertLevel}, ${status!.daysRemaining} days left this month`,
  );

  // A budget too small for the worst case of a call refuses it before anything is sent.
  const tinyBudget = createBudget({ budgets: [{ id: 'tiny', limitUsd: 0.001 }] });
  context.onClose(() => tinyBudget.close());
  const { client: secondClient } = await openaiClient(context);
  const guarded = wrapOpenAI(secondClient, tinyBudget);
  try {
    await guarded.chat.completions.create({
      model: 'gpt-4o',
      max_completion_tokens: 4_000,
      messages: [{ role: 'user', content: 'Write a long essay about budgets.' }],
    });
  } catch (error) {
    if (!BudgetExceededError.isInstance(error)) throw error;
    console.log(`refused, as expected:\n${describeError(error)}`);
  }
});
