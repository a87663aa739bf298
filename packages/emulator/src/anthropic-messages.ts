import type { EndpointContext } from './endpoint-context.js';
import { EmulatorRequestError } from './emulator-request-error.js';
import { replyTokens, thinkingTokens } from './reply-text.js';
import { chunkEvent, finalEvent, preambleEvent, type StreamEvent } from './sse-writer.js';
import { anthropicPromptTokens } from './anthropic-prompt-tokens.js';
import { stringifyJson } from './raw-json.js';
import { computeTokenUsage, suppliedUsage, type TokenUsage, totalOutputTokens } from './usage-model.js';

interface ThinkingConfig {
  type?: unknown;
  budget_tokens?: unknown;
}

/** Anthropic usage: `input_tokens` excludes cache reads and writes, `output_tokens` includes thinking. */
function anthropicUsage(usage: TokenUsage, outputTokens: number): Record<string, unknown> {
  return {
    input_tokens: usage.inputTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens + usage.cacheWrite1hTokens,
    cache_read_input_tokens: usage.cachedTokens,
    cache_creation: {
      ephemeral_5m_input_tokens: usage.cacheWriteTokens,
      ephemeral_1h_input_tokens: usage.cacheWrite1hTokens,
    },
    output_tokens: outputTokens,
    service_tier: 'standard',
    ...serverToolUse(usage),
    ...outputTokensDetails(usage),
  };
}

function serverToolUse(usage: TokenUsage): Record<string, unknown> {
  return usage.webSearchRequests > 0
    ? { server_tool_use: { web_search_requests: usage.webSearchRequests, web_fetch_requests: 0 } }
    : {};
}

function outputTokensDetails(usage: TokenUsage): Record<string, unknown> {
  return usage.reasoningTokens > 0
    ? { output_tokens_details: { thinking_tokens: usage.reasoningTokens } }
    : {};
}

/**
 * `POST /v1/messages`. Thinking requests (`thinking.type` enabled or adaptive) and
 * reasoning tokens add a thinking block before the text block. The stream's
 * `message_start` reports `output_tokens: 1`; the one `message_delta` carries the
 * cumulative totals (output and, as the real API, input and cache counts again). Supplied
 * usages replace the computed ones (`usageJson`: the JSON message's and the `message_delta`'s,
 * `startUsageJson`: `message_start`'s); an early or late one adds a `message_delta` before the
 * first content block or after the final `message_delta`.
 */
export async function handleAnthropicMessages(context: EndpointContext): Promise<void> {
  const model = context.requiredString('model');
  const maxTokens = context.optionalNumber('max_tokens');
  if (maxTokens === undefined)
    throw new EmulatorRequestError(400, 'max_tokens: Field required', 'max_tokens');
  const thinking = context.body.thinking as ThinkingConfig | undefined;
  const usage = computeTokenUsage(
    {
      promptTokens: anthropicPromptTokens(context),
      outputLimit: maxTokens,
      reasoningRequested: thinking?.type === 'enabled' || thinking?.type === 'adaptive',
      reasoningLimit: typeof thinking?.budget_tokens === 'number' ? thinking.budget_tokens : undefined,
    },
    context.usage,
  );
  const id = context.nextId('msg_');
  const textTokens = replyTokens(usage.outputTokens);
  const thoughts = thinkingTokens(usage.reasoningTokens);
  const signature = Buffer.from(`emulator-signature:${id}`).toString('base64');
  const stopReason = usage.truncated ? 'max_tokens' : 'end_turn';
  const outputTokens = totalOutputTokens(usage);
  const message = (content: unknown[], stop: string | null, messageUsage: unknown) => ({
    id,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stop,
    stop_sequence: null,
    usage: messageUsage,
  });

  if (!context.streaming) {
    const content = [
      ...(thoughts.length > 0 ? [{ type: 'thinking', thinking: thoughts.join(''), signature }] : []),
      { type: 'text', text: textTokens.join('') },
    ];
    context.sendJson(
      message(
        content,
        stopReason,
        suppliedUsage(context.usage.usageJson, anthropicUsage(usage, outputTokens)),
      ),
    );
    return;
  }

  const { usageJson, startUsageJson, earlyUsageJson, lateUsageJson } = context.usage;
  // A supplied usage is raw JSON, which only `stringifyJson` writes as it is.
  const raw = (usageJson ?? startUsageJson ?? earlyUsageJson ?? lateUsageJson) !== undefined;
  const event = (kind: typeof preambleEvent, data: { type: string; [field: string]: unknown }) =>
    kind(raw ? stringifyJson(data) : data, data.type);
  const startUsage = anthropicUsage(usage, Math.min(1, outputTokens));
  const usageDelta = (kind: typeof preambleEvent, deltaUsage: unknown, stop: string | null) =>
    event(kind, {
      type: 'message_delta',
      delta: { stop_reason: stop, stop_sequence: null },
      usage: deltaUsage,
    });
  const events: StreamEvent[] = [
    event(preambleEvent, {
      type: 'message_start',
      message: message([], null, suppliedUsage(startUsageJson, startUsage)),
    }),
  ];
  if (earlyUsageJson !== undefined)
    events.push(usageDelta(preambleEvent, suppliedUsage(earlyUsageJson, null), null));
  let index = 0;
  if (thoughts.length > 0) {
    events.push(
      event(preambleEvent, {
        type: 'content_block_start',
        index,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      }),
      event(preambleEvent, { type: 'ping' }),
      ...thoughts.map((thought) =>
        event(chunkEvent, {
          type: 'content_block_delta',
          index,
          delta: { type: 'thinking_delta', thinking: thought },
        }),
      ),
      event(preambleEvent, {
        type: 'content_block_delta',
        index,
        delta: { type: 'signature_delta', signature },
      }),
      event(preambleEvent, { type: 'content_block_stop', index }),
    );
    index += 1;
  }
  events.push(
    event(preambleEvent, { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }),
  );
  if (thoughts.length === 0) events.push(event(preambleEvent, { type: 'ping' }));
  for (const token of textTokens) {
    events.push(
      event(chunkEvent, { type: 'content_block_delta', index, delta: { type: 'text_delta', text: token } }),
    );
  }
  events.push(event(finalEvent, { type: 'content_block_stop', index }));
  if (!context.faults.omitUsage) {
    const deltaUsage = {
      input_tokens: usage.inputTokens,
      cache_creation_input_tokens: usage.cacheWriteTokens + usage.cacheWrite1hTokens,
      cache_read_input_tokens: usage.cachedTokens,
      output_tokens: outputTokens,
      ...serverToolUse(usage),
      ...outputTokensDetails(usage),
    };
    events.push(usageDelta(finalEvent, suppliedUsage(usageJson, deltaUsage), stopReason));
  }
  if (lateUsageJson !== undefined)
    events.push(usageDelta(finalEvent, suppliedUsage(lateUsageJson, null), stopReason));
  events.push(event(finalEvent, { type: 'message_stop' }));
  await context.sendStream(events);
}
