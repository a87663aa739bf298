// Anthropic streaming with prompt caching: the first call writes the cached system
// prompt (at 1.25× the input price), the next ones read it (at 0.1×).
import { wrapAnthropic } from '@tollgate/anthropic';
import { createBudget, formatUsd } from '@tollgate/core';
import { countTextTokens } from '@tollgate/emulator';
import { anthropicClient } from './provider-clients';
import { run } from './run';

/** Long enough to be cached (at least 1,024 tokens for Sonnet). */
const RETURN_POLICY = Array.from(
  { length: 120 },
  (_, index) =>
    `Rule ${index + 1}: items bought in the last ${30 + (index % 30)} days can be returned unused, with the receipt, for a refund to the original payment method.`,
).join('\n');

const QUESTIONS = [
  'Can I return a kettle I bought three weeks ago?',
  'I lost the receipt for my blender. What are my options?',
  'How long does a refund take?',
];

run(async (context) => {
  const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 30, period: 'month' }] });
  context.onClose(() => budget.close());
  const { client, emulator } = await anthropicClient(context);
  const anthropic = wrapAnthropic(client, budget, { requestType: 'support-chat' });

  for (const [index, question] of QUESTIONS.entries()) {
    if (emulator) {
      // The emulator does not cache: tell it what the real API reports, a cache write
      // of the system prompt on the first call and a cache read on the next ones.
      const cached = countTextTokens(RETURN_POLICY);
      emulator.usage.inputTokens = countTextTokens(question) + 4;
      emulator.usage.cacheWriteTokens = index === 0 ? cached : undefined;
      emulator.usage.cachedTokens = index === 0 ? undefined : cached;
    }
    const before = (await budget.status())[0]!.usedNano;
    process.stdout.write(`\nQ: ${question}\nA: `);
    const stream = anthropic.messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 40,
      system: [{ type: 'text', text: RETURN_POLICY, cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: question }],
    });
    stream.on('text', (delta) => process.stdout.write(delta));
    const message = await stream.finalMessage();
    const after = (await budget.status())[0]!.usedNano;
    const { usage } = message;
    console.log(
      `\n   ${usage.input_tokens} tokens in, ${usage.cache_creation_input_tokens ?? 0} written to the cache, ${usage.cache_read_input_tokens ?? 0} read from it, ${usage.output_tokens} out: ${formatUsd(after - before)}`,
    );
  }
  const [status] = await budget.status();
  console.log(`\nspent ${formatUsd(status!.usedNano)} of ${formatUsd(status!.limitNano)}`);
});
