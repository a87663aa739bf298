// The report: a week of calls across the three providers, then where the money went
// (by day, provider and model, request type), the status and the recommendations with
// what-if savings. `tollgate report` prints the same from a SQLite or MongoDB store.
import { createBudget, formatUsd } from '@tollgate/core';
import { wrapAnthropic } from '@tollgate/anthropic';
import { wrapMistral } from '@tollgate/mistral';
import { wrapOpenAI } from '@tollgate/openai';
import { anthropicClient, mistralClient, openaiClient } from './provider-clients';
import { run } from './run';

const DAY_MS = 24 * 60 * 60 * 1000;
const DAYS = 7;

run(async (context) => {
  // The budget's clock walks through the last seven days, so the week shows in the report.
  let now = Date.now() - (DAYS - 1) * DAY_MS;
  const budget = createBudget({
    budgets: [{ id: 'app', limitUsd: 30, period: 'month', timeZone: 'UTC' }],
    clock: () => now,
    // A model the strategy registry does not rate yet: its tier lets what-if savings replay it.
    models: [{ provider: 'anthropic', model: 'claude-sonnet-4-6', service: 'llm', tier: 3 }],
  });
  context.onClose(() => budget.close());
  const { client: openaiBase, emulator } = await openaiClient(context);
  const openai = wrapOpenAI(openaiBase, budget);
  const anthropic = wrapAnthropic((await anthropicClient(context)).client, budget);
  const mistral = wrapMistral((await mistralClient(context)).client, budget);
  // Offline, replies are as long as the limit each call sets.
  if (emulator) emulator.usage.defaultOutputTokens = 100_000;

  const history = 'The customer wrote about a broken kettle and a late refund. '.repeat(400);
  for (let day = 0; day < DAYS; day++, now += DAY_MS) {
    for (let call = 0; call <= day; call++) {
      await budget.withContext({ requestType: 'summarize', userId: 'u-ana' }, () =>
        anthropic.messages.create({
          model: 'claude-sonnet-4-6',
          max_tokens: 500,
          messages: [{ role: 'user', content: `Summarize:\n${history}` }],
        }),
      );
      await budget.withContext({ requestType: 'chat', userId: 'u-ben' }, () =>
        openai.chat.completions.create({
          model: 'gpt-4o',
          max_completion_tokens: 300,
          messages: [{ role: 'user', content: 'Where is my order?' }],
        }),
      );
      await budget.withContext({ requestType: 'classify', userId: 'u-ben' }, () =>
        mistral.chat.complete({
          model: 'mistral-small-latest',
          maxTokens: 5,
          messages: [{ role: 'user', content: 'Label this ticket: refund, delivery or defect?' }],
        }),
      );
    }
  }
  now -= DAY_MS;

  const byDay = await budget.breakdown({ by: ['day'], days: DAYS });
  console.log('\nspend by day');
  const highest = Math.max(...byDay.groups.map((group) => group.costNano));
  for (const group of byDay.groups) {
    const bar = '█'.repeat(Math.round((group.costNano / highest) * 30));
    console.log(`  ${group.key.day}  ${formatUsd(group.costNano).padStart(8)}  ${bar}`);
  }

  for (const [title, by] of [
    ['provider and model', ['provider', 'model']],
    ['request type', ['requestType']],
  ] as const) {
    const breakdown = await budget.breakdown({ by, days: DAYS });
    console.log(`\nspend by ${title}`);
    for (const group of breakdown.groups) {
      const key = by.map((dimension) => group.key[dimension]).join(' ');
      console.log(
        `  ${key.padEnd(32)} ${String(group.measures.requests).padStart(3)} calls ${formatUsd(group.costNano).padStart(8)}  ${(group.share * 100).toFixed(1)}%`,
      );
    }
  }

  const [status] = await budget.status();
  console.log(
    `\nstatus: ${status!.alertLevel}, ${formatUsd(status!.usedNano)} of ${formatUsd(status!.limitNano)} used, projected ${formatUsd(status!.projectedNano)} for the month (${status!.projection.method})`,
  );
  console.log('\nrecommendations');
  for (const recommendation of await budget.recommendations({ days: DAYS })) {
    console.log(`  [${recommendation.severity}] ${recommendation.message}`);
  }
});
