import { type AdmittedCall, type CallPlan, type PlannedGate, requestWith } from '@tollgate/core/adapter';
import { countAnthropicPrompt, type TokenCountingResource } from './anthropic-prompt-count';
import { AnthropicStreamObserver } from './anthropic-stream-usage';
import type { AnthropicRuntime } from './anthropic-wrapper-options';
import { type AnthropicUsageFields, convertAnthropicUsage } from './convert-anthropic-usage';

/** The smallest thinking budget the API accepts; `max_tokens` must stay above it. */
const MIN_THINKING_BUDGET_TOKENS = 1_024;

type MessageParams = Record<string, unknown>;

interface MessageResult {
  id?: unknown;
  model?: unknown;
  usage?: AnthropicUsageFields | null;
}

/**
 * One `messages.create` call (plain or `stream: true`): the prompt counted (locally, or by
 * the free `countTokens` endpoint), the worst case reserved, `max_tokens` shrunk when the
 * gate clamped the call (and a thinking budget that would no longer fit under it).
 */
class MessagePlan implements CallPlan {
  readonly downgradable = true;

  constructor(
    readonly gate: PlannedGate,
    private readonly params: MessageParams,
    private readonly thinkingBudget: number | undefined,
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

  /** A complete message: its reported usage, under its message id. */
  settle(message: MessageResult | null | undefined, call: AdmittedCall): Promise<unknown> {
    const details = { responseId: message?.id, servedModel: message?.model };
    if (!message?.usage) return call.settleFromOutput({ text: '' }, details);
    return call.settle(convertAnthropicUsage(message.usage), details);
  }
}

export async function planMessage(
  params: MessageParams,
  runtime: AnthropicRuntime,
  requestOptions: unknown,
  resource: object,
): Promise<CallPlan> {
  const thinking = params.thinking as { type?: unknown; budget_tokens?: unknown } | undefined;
  const thinkingBudget =
    thinking?.type === 'enabled' && typeof thinking.budget_tokens === 'number'
      ? thinking.budget_tokens
      : undefined;
  const prompt = await countAnthropicPrompt(
    runtime,
    resource as TokenCountingResource,
    params,
    requestOptions,
  );
  const gate: PlannedGate = {
    model: params.model as string,
    service: 'llm',
    inputTokens: prompt.inputTokens,
    text: prompt.text,
    overheadTokens: prompt.overheadTokens,
    maxOutputTokens: typeof params.max_tokens === 'number' ? params.max_tokens : undefined,
    minOutputTokens:
      thinkingBudget === undefined
        ? undefined
        : Math.max(runtime.options.minOutputTokens ?? 0, MIN_THINKING_BUDGET_TOKENS + 1),
  };
  return new MessagePlan(gate, params, thinkingBudget);
}
