import type { EndpointContext } from './endpoint-context.js';
import { openaiChatUsage } from './openai-usage.js';
import { replyTokens } from './reply-text.js';
import { chunkEvent, finalEvent, preambleEvent, type StreamEvent } from './sse-writer.js';
import { stringifyJson } from './raw-json.js';
import { computeTokenUsage, countPromptTokens, isReasoningEffort, suppliedUsage } from './usage-model.js';

const SYSTEM_FINGERPRINT = 'fp_emulator';

/**
 * `POST /v1/chat/completions`. Streams send a role chunk, one chunk per output token
 * and choice, a finish chunk per choice, then (with `stream_options.include_usage`)
 * a chunk with `choices: []` and the usage, and `data: [DONE]`. A supplied usage replaces
 * the computed one; an early or late one adds a usage chunk after the role chunk or after
 * the usage chunk.
 */
export async function handleOpenaiChatCompletions(context: EndpointContext): Promise<void> {
  const model = context.requiredString('model');
  const messages = context.requiredArray('messages');
  const usage = computeTokenUsage(
    {
      promptTokens: countPromptTokens({ messages, tools: context.body.tools }),
      outputLimit: context.optionalNumber('max_completion_tokens') ?? context.optionalNumber('max_tokens'),
      reasoningRequested: isReasoningEffort(context.body.reasoning_effort),
    },
    context.usage,
  );
  const choiceCount = Math.max(1, Math.floor(context.optionalNumber('n') ?? 1));
  const tokens = replyTokens(usage.outputTokens);
  const finishReason = usage.truncated ? 'length' : 'stop';
  const id = context.nextId('chatcmpl-');
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
        message: { role: 'assistant', content: tokens.join(''), refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: finishReason,
      })),
      usage: suppliedUsage(context.usage.usageJson, openaiChatUsage(usage, choiceCount)),
      service_tier: 'default',
      system_fingerprint: SYSTEM_FINGERPRINT,
    });
    return;
  }

  const streamOptions = context.body.stream_options as { include_usage?: unknown } | undefined;
  const includeUsage = streamOptions?.include_usage === true;
  const chunk = (choices: unknown[]) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices,
    ...(includeUsage ? { usage: null } : {}),
  });
  const choice = (index: number, delta: Record<string, unknown>, finish: string | null = null) => ({
    index,
    delta,
    logprobs: null,
    finish_reason: finish,
  });

  // The usage chunk: `choices: []` and the usage (a supplied one sent as it is).
  const usageChunk = (text: string | undefined) =>
    stringifyJson({ ...chunk([]), usage: suppliedUsage(text, openaiChatUsage(usage, choiceCount)) });
  const { earlyUsageJson, lateUsageJson } = context.usage;
  const events: StreamEvent[] = [];
  for (const index of choiceIndexes) {
    events.push(preambleEvent(chunk([choice(index, { role: 'assistant', content: '', refusal: null })])));
  }
  if (includeUsage && earlyUsageJson !== undefined) events.push(preambleEvent(usageChunk(earlyUsageJson)));
  for (const token of tokens) {
    for (const index of choiceIndexes) events.push(chunkEvent(chunk([choice(index, { content: token })])));
  }
  for (const index of choiceIndexes) events.push(finalEvent(chunk([choice(index, {}, finishReason)])));
  if (includeUsage && !context.faults.omitUsage) events.push(finalEvent(usageChunk(context.usage.usageJson)));
  if (includeUsage && lateUsageJson !== undefined) events.push(finalEvent(usageChunk(lateUsageJson)));
  events.push(finalEvent('[DONE]'));
  await context.sendStream(events);
}
