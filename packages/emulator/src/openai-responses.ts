import type { EndpointContext } from './endpoint-context.js';
import { openaiResponsesUsage } from './openai-usage.js';
import { replyTokens } from './reply-text.js';
import { chunkEvent, finalEvent, preambleEvent, type StreamEvent } from './sse-writer.js';
import { stringifyJson } from './raw-json.js';
import { computeTokenUsage, countPromptTokens, isReasoningEffort, suppliedUsage } from './usage-model.js';

/**
 * `POST /v1/responses`. A request whose `max_output_tokens` cuts the reply ends
 * `incomplete` (reason `max_output_tokens`), as the real API does. Reasoning tokens
 * add a `reasoning` output item with an empty summary before the message. A supplied usage
 * (`usageJson`) replaces the computed one.
 */
export async function handleOpenaiResponses(context: EndpointContext): Promise<void> {
  const { body } = context;
  const model = context.requiredString('model');
  const input = body.input;
  const messages = typeof input === 'string' ? [input] : Array.isArray(input) ? input : [];
  const reasoningConfig = body.reasoning as { effort?: unknown; summary?: unknown } | undefined | null;
  const usage = computeTokenUsage(
    {
      promptTokens: countPromptTokens({ messages, system: body.instructions, tools: body.tools }),
      outputLimit: context.optionalNumber('max_output_tokens'),
      reasoningRequested: isReasoningEffort(reasoningConfig?.effort),
    },
    context.usage,
  );
  const tokens = replyTokens(usage.outputTokens);
  const text = tokens.join('');
  const status = usage.truncated ? 'incomplete' : 'completed';
  const id = context.nextId('resp_');
  const messageId = context.nextId('msg_');
  const reasoningItem =
    usage.reasoningTokens > 0 ? { id: context.nextId('rs_'), type: 'reasoning', summary: [] } : null;
  const createdAt = context.unixTime();

  const outputText = (value: string) => ({ type: 'output_text', text: value, annotations: [], logprobs: [] });
  const message = (messageStatus: string, content: unknown[]) => ({
    id: messageId,
    type: 'message',
    status: messageStatus,
    role: 'assistant',
    content,
  });
  const finalOutput = [...(reasoningItem ? [reasoningItem] : []), message(status, [outputText(text)])];
  const response = (responseStatus: string, output: unknown[], responseUsage: unknown) => ({
    id,
    object: 'response',
    created_at: createdAt,
    status: responseStatus,
    background: false,
    completed_at: responseStatus === 'completed' ? context.unixTime() : null,
    error: null,
    incomplete_details: responseStatus === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    max_tool_calls: body.max_tool_calls ?? null,
    model,
    output,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: reasoningConfig?.effort ?? null, summary: reasoningConfig?.summary ?? null },
    service_tier: 'default',
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: body.text ?? { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? 'disabled',
    usage: responseUsage,
    user: null,
    metadata: body.metadata ?? {},
  });

  if (!context.streaming) {
    context.sendJson(
      response(status, finalOutput, suppliedUsage(context.usage.usageJson, openaiResponsesUsage(usage))),
    );
    return;
  }

  let sequenceNumber = 0;
  const event = (kind: typeof preambleEvent, type: string, fields: Record<string, unknown>) =>
    kind({ type, sequence_number: sequenceNumber++, ...fields }, type);
  const messageIndex = reasoningItem ? 1 : 0;
  const location = { item_id: messageId, output_index: messageIndex, content_index: 0 };
  const events: StreamEvent[] = [
    event(preambleEvent, 'response.created', { response: response('in_progress', [], null) }),
    event(preambleEvent, 'response.in_progress', { response: response('in_progress', [], null) }),
  ];
  if (reasoningItem) {
    events.push(
      event(preambleEvent, 'response.output_item.added', { output_index: 0, item: reasoningItem }),
      event(preambleEvent, 'response.output_item.done', { output_index: 0, item: reasoningItem }),
    );
  }
  events.push(
    event(preambleEvent, 'response.output_item.added', {
      output_index: messageIndex,
      item: message('in_progress', []),
    }),
    event(preambleEvent, 'response.content_part.added', { ...location, part: outputText('') }),
    ...tokens.map((token) =>
      event(chunkEvent, 'response.output_text.delta', { ...location, delta: token, logprobs: [] }),
    ),
    event(finalEvent, 'response.output_text.done', { ...location, text, logprobs: [] }),
    event(finalEvent, 'response.content_part.done', { ...location, part: outputText(text) }),
    event(finalEvent, 'response.output_item.done', {
      output_index: messageIndex,
      item: finalOutput[messageIndex],
    }),
    // Serialized here: a supplied usage is raw JSON.
    finalEvent(
      stringifyJson({
        type: `response.${status}`,
        sequence_number: sequenceNumber++,
        response: response(
          status,
          finalOutput,
          context.faults.omitUsage
            ? null
            : suppliedUsage(context.usage.usageJson, openaiResponsesUsage(usage)),
        ),
      }),
      `response.${status}`,
    ),
  );
  await context.sendStream(events);
}
