import { type AdmittedCall, type CallPlan, type PlannedGate, requestWith } from '@tollgate/core/adapter';
import {
  anthropicExactCount,
  countAnthropicPromptLocally,
  type TokenCountingResource,
} from './anthropic-prompt-count';
import { AnthropicStreamObserver } from './anthropic-stream-usage';
import type { AnthropicRuntime } from './anthropic-wrapper-options';
import { convertAnthropicUsage } from './convert-anthropic-usage';

/** The smallest thinking budget the API accepts; `max_tokens` must stay above it. */
const MIN_THINKING_BUDGET_TOKENS = 1_024;

type MessageParams = Record<string, unknown>;

interface MessageResult {
  id?: unknown;
  model?: unknown;
  usage?: unknown;
  content?: unknown;
}

/** The text a message generated (text, thinking, tool inputs), for a settlement from its output. */
export function messageOutputText(message: MessageResult | null | undefined): string {
  const content = message?.content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const block of content as { type?: unknown; text?: unknown; thinking?: unknown; input?: unknown }[]) {
    if (typeof block?.text === 'string') parts.push(block.text);
    if (typeof block?.thinking === 'string') parts.push(block.thinking);
    if (block?.type === 'tool_use' && block.input !== undefined)
      parts.push(JSON.stringify(block.input) ?? '');
  }
  return parts.join('');
}

/**
 * One `messages.create` call (plain or `stream: true`): the prompt counted locally, and
 * exactly by the free `countTokens` endpoint when `estimateWith` asks for it, the worst case
 * reserved, `max_tokens` shrunk when the gate clamped the call (and a thinking budget that
 * would no longer fit under it).
 */
class MessagePlan implements CallPlan {
  readonly downgradable = true;

  constructor(
    readonly gate: PlannedGate,
    private readonly params: MessageParams,
    private readonly thinkingBudget: number | undefined,
    readonly countPromptExactly: ((signal: AbortSignal) => Promise<number>) | undefined,
  ) {}

  request(call: AdmittedCall): MessageParams {
    const clamped = call.clampedOutputTokens;
    const requested = this.params.max_tokens;
    if (clamped === undefined || typeof requested !== 'number' || clamped >= requested) return this.params;
    if (this.thinkingBudget === undefined || this.thinkingBudget < clamped)
      return requestWith(this.params, { max_tokens: clamped });
    const budget_tokens = Math.max(MIN_THINKING_BUDGET_TOKENS, clamped - 1);
    return requestWith(this.params, {
      max_tokens: clamped,
      thinking: requestWith(this.params.thinking as object, { budget_tokens }),
    });
  }

  stream(call: AdmittedCall): AnthropicStreamObserver {
    return new AnthropicStreamObserver(call);
  }

  /** A complete message: its reported usage, under its message id (under the kit's rule: else from its text). */
  settle(message: MessageResult | null | undefined, call: AdmittedCall): Promise<unknown> {
    const details = { responseId: message?.id, servedModel: message?.model };
    return call.settleUsage(
      message?.usage,
      convertAnthropicUsage,
      { text: messageOutputText(message) },
      details,
    );
  }
}

export function planMessage(
  params: MessageParams,
  runtime: AnthropicRuntime,
  requestOptions: unknown,
  resource: object,
): CallPlan {
  const thinking = params.thinking as { type?: unknown; budget_tokens?: unknown } | undefined;
  const thinkingBudget =
    thinking?.type === 'enabled' && typeof thinking.budget_tokens === 'number'
      ? thinking.budget_tokens
      : undefined;
  const prompt = countAnthropicPromptLocally(runtime, params);
  const gate: PlannedGate = {
    model: params.model as string,
    service: 'llm',
    text: prompt.text,
    overheadTokens: prompt.overheadTokens,
    maxOutputTokens: typeof params.max_tokens === 'number' ? params.max_tokens : undefined,
    minOutputTokens:
      thinkingBudget === undefined
        ? undefined
        : Math.max(runtime.options.minOutputTokens ?? 0, MIN_THINKING_BUDGET_TOKENS + 1),
  };
  const exactCount = anthropicExactCount(resource as TokenCountingResource, params, requestOptions);
  return new MessagePlan(gate, params, thinkingBudget, exactCount);
}
