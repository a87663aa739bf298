// The strategy selector: as the budget runs down, the cost strategy moves from
// QUALITY_FIRST to CHEAPEST_FIRST, and `budget.select()` ranks the models of all three
// providers for this request. The app then calls the first one through its own client.
import type Anthropic from '@anthropic-ai/sdk';
import type { Mistral } from '@mistralai/mistralai';
import { wrapAnthropic } from '@tollgate/anthropic';
import { type BudgetManager, createBudget, formatUsd } from '@tollgate/core';
import { wrapMistral } from '@tollgate/mistral';
import { wrapOpenAI } from '@tollgate/openai';
import type OpenAI from 'openai';
import { anthropicClient, mistralClient, openaiClient } from './provider-clients';
import { run } from './run';

const QUESTION = 'Summarize the customer complaint in one sentence: the kettle leaks after three days.';

interface Clients {
  openai: OpenAI;
  anthropic: Anthropic;
  mistral: Mistral;
}

/** Earlier spend, as another part of the app would have recorded it. */
async function spendUpTo(budget: BudgetManager, usd: number): Promise<void> {
  const [status] = await budget.status();
  const missing = usd - status!.usedUsd;
  if (missing <= 0) return;
  // gpt-4o output costs $10 per million tokens: 100,000 tokens per dollar.
  await budget.recordUsage({
    provider: 'openai',
    model: 'gpt-4o',
    usage: { inputTokens: 0, outputTokens: Math.round(missing * 100_000) },
    context: { requestType: 'backfill' },
  });
}

async function ask(clients: Clients, provider: string, model: string): Promise<string> {
  const messages = [{ role: 'user' as const, content: QUESTION }];
  if (provider === 'openai') {
    const completion = await clients.openai.chat.completions.create({
      model,
      max_completion_tokens: 12,
      messages,
    });
    return completion.choices[0]?.message.content ?? '';
  }
  if (provider === 'anthropic') {
    const message = await clients.anthropic.messages.create({ model, max_tokens: 12, messages });
    return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  }
  const response = await clients.mistral.chat.complete({ model, maxTokens: 12, messages });
  return String(response.choices[0]?.message?.content ?? '');
}

run(async (context) => {
  const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 30, period: 'month' }] });
  context.onClose(() => budget.close());
  const clients: Clients = {
    openai: wrapOpenAI((await openaiClient(context)).client, budget, { requestType: 'summarize' }),
    anthropic: wrapAnthropic((await anthropicClient(context)).client, budget, { requestType: 'summarize' }),
    mistral: wrapMistral((await mistralClient(context)).client, budget, { requestType: 'summarize' }),
  };

  console.log('earlier spend is recorded with budget.recordUsage() to move through the alert levels');
  for (const spent of [0, 16, 23, 27.5]) {
    await spendUpTo(budget, spent);
    const [status] = await budget.status();
    const strategy = await budget.strategy();
    console.log(`\n${status!.alertLevel} at ${(status!.usedRatio * 100).toFixed(0)}% used → ${strategy}`);
    const ranked = await budget.select({
      service: 'llm',
      providers: ['openai', 'anthropic', 'mistral'],
      minTier: 2,
      estimatedTokens: { input: 2_000, output: 300 },
    });
    for (const candidate of ranked.slice(0, 3)) {
      console.log(`  ${candidate.provider.padEnd(9)} ${candidate.model.padEnd(22)} ${candidate.reason}`);
    }
    const [first] = ranked;
    const reply = await ask(clients, first!.provider, first!.model);
    console.log(`  called ${first!.model}: ${reply}`);
  }
  const [status] = await budget.status();
  console.log(`\nspent ${formatUsd(status!.usedNano)} of ${formatUsd(status!.limitNano)}`);
});
