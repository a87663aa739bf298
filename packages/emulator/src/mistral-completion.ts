import type { EndpointContext } from './endpoint-context.js';
import { replyTokens } from './reply-text.js';
import { chunkEvent, finalEvent, preambleEvent, type StreamEvent } from './sse-writer.js';
import { stringifyJson } from './raw-json.js';
import { suppliedUsage, type TokenUsage, totalInputTokens, totalOutputTokens } from './usage-model.js';

/**
 * Mistral usage. `prompt_tokens` includes cached tokens, which also appear as
 * `prompt_tokens_details.cached_tokens`; `completion_tokens` includes reasoning.
 */
export function mistralUsage(usage: TokenUsage, choices = 1): Record<string, unknown> {
  const promptTokens = totalInputTokens(usage);
  const completionTokens = totalOutputTokens(usage) * choices;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    ...(usage.cachedTokens > 0 ? { prompt_tokens_details: { cached_tokens: usage.cachedTokens } } : {}),
    ...(usage.reasoningTokens > 0
      ? { completion_tokens_details: { reasoning_tokens: usage.reasoningTokens * choices } }
      : {}),
  };
}

/**
 * Sends a chat or FIM completion in Mistral's shape. The stream is `data:` chunks: a
 * role chunk, one chunk per token and choice, a last chunk per choice with the
 * finish reason (the very last one with the usage), then `data: [DONE]`. A supplied usage
 * replaces the computed one; an early one rides on the role chunk, a late one on an extra
 * chunk with no choices after the last.
 */
export async function sendMistralCompletion(
  context: EndpointContext,
  model: string,
  usage: TokenUsage,
  choiceCount: number,
): Promise<void> {
  const tokens = replyTokens(usage.outputTokens);
  const finishReason = usage.truncated ? 'length' : 'stop';
  const id = context.nextId('cmpl-');
  const created = context.unixTime();
  const choiceIndexes = Array.from({ length: choiceCount }, (_, index) => index);

  if (!context.streaming) {
    context.sendJson({
      id,
      object: 'chat.completion',
      created,
      model,
      choices: choiceIndexes.map((index) => ({
        index,
        message: { role: 'assistant', content: tokens.join(''), tool_calls: null, prefix: false },
        finish_reason: finishReason,
      })),
      usage: suppliedUsage(context.usage.usageJson, mistralUsage(usage, choiceCount)),
    });
    return;
  }

  const chunk = (index: number, delta: Record<string, unknown>, finish: string | null = null) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index, delta, finish_reason: finish }],
  });
  const { usageJson, earlyUsageJson, lateUsageJson } = context.usage;
  // A supplied usage is raw JSON, which only `stringifyJson` writes as it is.
  const withUsage = (data: object, text: string | undefined) =>
    stringifyJson({ ...data, usage: suppliedUsage(text, mistralUsage(usage, choiceCount)) });
  const events: StreamEvent[] = [];
  for (const index of choiceIndexes) {
    const role = chunk(index, { role: 'assistant', content: '' });
    const early = index === 0 && earlyUsageJson !== undefined;
    events.push(preambleEvent(early ? withUsage(role, earlyUsageJson) : role));
  }
  for (const token of tokens) {
    for (const index of choiceIndexes) events.push(chunkEvent(chunk(index, { content: token })));
  }
  for (const index of choiceIndexes) {
    const last = chunk(index, { content: '' }, finishReason);
    const usageHere = index === choiceCount - 1 && !context.faults.omitUsage;
    events.push(finalEvent(usageHere ? withUsage(last, usageJson) : last));
  }
  if (lateUsageJson !== undefined)
    events.push(finalEvent(withUsage({ ...chunk(0, {}), choices: [] }, lateUsageJson)));
  events.push(finalEvent('[DONE]'));
  await context.sendStream(events);
}
