import type { Admission } from '@tollgate/core';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
} from 'openai/resources/chat/completions';
import type { Stream } from 'openai/core/streaming';
import {
  collectDefinitions,
  collectInputText,
  type OpenAIInput,
  TOKENS_PER_MESSAGE,
  TOKENS_PER_REPLY,
} from './collect-openai-input';
import { convertOpenAIChatUsage } from './convert-openai-usage';
import { observeStream } from './openai-budgeted-stream';
import type { OpenAICallAccounting } from './openai-call-accounting';
import { OpenAIChatStreamObserver } from './openai-chat-stream';
import type { OpenAIEndpoint, OpenAIWrapState } from './openai-endpoint';

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

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * The body with its output limit shrunk to what the budget affords: the field the
 * caller used (both when both were set); when none was, `max_completion_tokens` for
 * OpenAI and `max_tokens` for OpenAI-compatible servers, which know only that one.
 */
export function clampChatBody(body: ChatBody, maxTokensPerChoice: number, provider: string): ChatBody {
  const hasCompletionLimit = body.max_completion_tokens !== undefined && body.max_completion_tokens !== null;
  const hasTokenLimit = body.max_tokens !== undefined && body.max_tokens !== null;
  if (hasCompletionLimit || hasTokenLimit) {
    return {
      ...body,
      ...(hasCompletionLimit ? { max_completion_tokens: maxTokensPerChoice } : {}),
      ...(hasTokenLimit ? { max_tokens: maxTokensPerChoice } : {}),
    };
  }
  return provider === 'openai'
    ? { ...body, max_completion_tokens: maxTokensPerChoice }
    : { ...body, max_tokens: maxTokensPerChoice };
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
export const chatCompletionsEndpoint: OpenAIEndpoint = (body: ChatBody, state: OpenAIWrapState) => {
  const choices = positiveInteger(body.n) ?? 1;
  const limit = positiveInteger(body.max_completion_tokens) ?? positiveInteger(body.max_tokens);
  let maxOutputTokens: number | undefined;
  if (limit !== undefined) maxOutputTokens = limit * choices;
  else if (choices > 1) {
    const modelMaximum = state.budget.catalog.resolve(state.provider, body.model)?.maxOutputTokens ?? 8_192;
    maxOutputTokens = modelMaximum * choices;
  }
  const input = chatInputOf(body);
  const streaming = body.stream === true;
  const streamOptions = body.stream_options as { include_usage?: boolean } | null | undefined;
  const callerWantsUsage = streamOptions?.include_usage === true;

  return {
    gate: {
      model: body.model,
      service: 'llm',
      text: input.text,
      overheadTokens: input.overheadTokens,
      ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
    },
    downgradable: true,
    bodyFor(admission: Admission) {
      let next: ChatBody = body;
      if (admission.clamped && admission.maxOutputTokens !== undefined) {
        next = clampChatBody(
          next,
          Math.max(1, Math.floor(admission.maxOutputTokens / choices)),
          state.provider,
        );
      }
      if (streaming && !callerWantsUsage) {
        next = { ...next, stream_options: { ...streamOptions, include_usage: true } };
      }
      return next;
    },
    async finish(result: unknown, accounting: OpenAICallAccounting) {
      if (streaming) {
        const observer = new OpenAIChatStreamObserver(accounting, { hideUsage: !callerWantsUsage });
        return observeStream(result as Stream<ChatCompletionChunk>, observer, state.reportError);
      }
      const completion = result as ChatCompletion;
      const details = { responseId: completion.id, servedModel: completion.model };
      if (completion.usage) await accounting.settle(convertOpenAIChatUsage(completion.usage), details);
      else await accounting.settleFromOutput({ text: outputTextOf(completion) }, details);
      return completion;
    },
  };
};
