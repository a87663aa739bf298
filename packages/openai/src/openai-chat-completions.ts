import {
  type AdapterRuntime,
  type AdmittedCall,
  type CallPlan,
  type PlannedGate,
  requestWith,
} from '@tollgate/core/adapter';
import type { ChatCompletion, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import {
  collectDefinitions,
  collectInputText,
  type OpenAIInput,
  TOKENS_PER_MESSAGE,
  TOKENS_PER_REPLY,
} from './collect-openai-input';
import { pricedModelOf } from './azure-deployments';
import { convertOpenAIChatUsage } from './convert-openai-usage';
import { OpenAIChatStreamObserver } from './openai-chat-stream';

type ChatBody = ChatCompletionCreateParams & Record<string, unknown>;

/** The prompt of a chat request: messages, tool and function definitions, a JSON schema. */
export function chatInputOf(body: ChatBody): OpenAIInput {
  const input: OpenAIInput = { text: [], overheadTokens: TOKENS_PER_REPLY };
  const messages = Array.isArray(body.messages) ? body.messages : [];
  for (const message of messages) {
    input.overheadTokens += TOKENS_PER_MESSAGE;
    collectInputText(message, input);
  }
  collectDefinitions(body.tools, input);
  collectDefinitions(body.functions, input);
  const format = body.response_format as { type?: string; json_schema?: unknown } | undefined;
  if (format?.type === 'json_schema') collectDefinitions(format.json_schema, input);
  return input;
}

/** Providers whose chat API takes `max_completion_tokens` (reasoning models refuse `max_tokens`). */
const COMPLETION_LIMIT_PROVIDERS = new Set(['openai', 'azure']);

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * The body with its output limit shrunk to what the budget affords: the field the
 * caller used (both when both were set); when none was, `max_completion_tokens` for
 * OpenAI and Azure OpenAI, and `max_tokens` for OpenAI-compatible servers, which know only that one.
 */
export function clampChatBody(body: ChatBody, maxTokensPerChoice: number, provider: string): ChatBody {
  const hasCompletionLimit = body.max_completion_tokens !== undefined && body.max_completion_tokens !== null;
  const hasTokenLimit = body.max_tokens !== undefined && body.max_tokens !== null;
  const limits: Record<string, number> = {};
  const openaiLimit = COMPLETION_LIMIT_PROVIDERS.has(provider);
  if (hasCompletionLimit || (!hasTokenLimit && openaiLimit))
    limits.max_completion_tokens = maxTokensPerChoice;
  if (hasTokenLimit || (!hasCompletionLimit && !openaiLimit)) limits.max_tokens = maxTokensPerChoice;
  return requestWith(body, limits);
}

function outputTextOf(completion: ChatCompletion): string {
  const parts: string[] = [];
  for (const choice of completion.choices ?? []) {
    const message = choice.message;
    if (!message) continue;
    if (typeof message.content === 'string') parts.push(message.content);
    if (typeof message.refusal === 'string') parts.push(message.refusal);
    for (const call of message.tool_calls ?? []) {
      if (call.type === 'function') parts.push(call.function.name, call.function.arguments);
    }
  }
  return parts.join('');
}

/** `chat.completions.create`, plain and `stream: true`. */
class ChatCompletionPlan implements CallPlan {
  readonly gate: PlannedGate;
  readonly choices: number;
  readonly downgradable = true;
  private readonly callerWantsUsage: boolean;

  constructor(
    private readonly body: ChatBody,
    runtime: AdapterRuntime,
  ) {
    const input = chatInputOf(body);
    this.gate = {
      model: pricedModelOf(runtime, body.model),
      service: 'llm',
      text: input.text,
      overheadTokens: input.overheadTokens,
      maxOutputTokens: positiveInteger(body.max_completion_tokens) ?? positiveInteger(body.max_tokens),
    };
    this.choices = positiveInteger(body.n) ?? 1;
    this.callerWantsUsage =
      (body.stream_options as { include_usage?: boolean } | null)?.include_usage === true;
  }

  request(call: AdmittedCall): ChatBody {
    const clamped = call.clampedOutputTokens;
    let body =
      clamped === undefined ? this.body : clampChatBody(this.body, clamped, call.runtime.options.provider);
    // The usage of a stream comes only when asked for: the wrapper asks, and hides it from a caller who did not.
    if (body.stream === true && !this.callerWantsUsage) {
      body = requestWith(body, {
        stream_options: requestWith(body.stream_options ?? {}, { include_usage: true }),
      });
    }
    return body;
  }

  stream(call: AdmittedCall): OpenAIChatStreamObserver {
    return new OpenAIChatStreamObserver(call, { hideUsage: !this.callerWantsUsage });
  }

  settle(completion: ChatCompletion, call: AdmittedCall): Promise<unknown> {
    const details = { responseId: completion.id, servedModel: completion.model };
    return call.settleUsage(
      completion.usage,
      convertOpenAIChatUsage,
      { text: outputTextOf(completion) },
      details,
    );
  }
}

export function planChatCompletion(body: ChatBody, runtime: AdapterRuntime): CallPlan {
  return new ChatCompletionPlan(body, runtime);
}
