import type { Admission } from '@tollgate/core';
import type { Stream } from 'openai/core/streaming';
import type {
  Response as OpenAIResponse,
  ResponseCreateParams,
  ResponseStreamEvent,
} from 'openai/resources/responses/responses';
import {
  collectDefinitions,
  collectInputText,
  type OpenAIInput,
  TOKENS_PER_MESSAGE,
  TOKENS_PER_REPLY,
} from './collect-openai-input';
import { convertOpenAIResponsesUsage } from './convert-openai-usage';
import { observeStream } from './openai-budgeted-stream';
import type { OpenAICallAccounting } from './openai-call-accounting';
import type { OpenAIEndpoint, OpenAIWrapState } from './openai-endpoint';
import { OpenAIResponsesStreamObserver, responseOutputText, webSearchesOf } from './openai-responses-stream';

type ResponsesBody = ResponseCreateParams & Record<string, unknown>;

/** The prompt of a Responses request: instructions, input items, tool definitions, a JSON schema. */
export function responsesInputOf(body: ResponsesBody): OpenAIInput {
  const input: OpenAIInput = { text: [], overheadTokens: TOKENS_PER_REPLY };
  if (typeof body.instructions === 'string' && body.instructions.length > 0) {
    input.overheadTokens += TOKENS_PER_MESSAGE;
    input.text.push(body.instructions);
  }
  const items = typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) ? body.input : [];
  for (const item of items) {
    input.overheadTokens += TOKENS_PER_MESSAGE;
    collectInputText(item, input);
  }
  collectDefinitions(body.tools, input);
  const format = (body.text as { format?: { type?: string; schema?: unknown } } | undefined)?.format;
  if (format?.type === 'json_schema') collectDefinitions(format.schema, input);
  return input;
}

/**
 * `responses.create`, plain and `stream: true` (settled from `response.completed`'s
 * usage). Input the server adds (`previous_response_id`, `conversation`) is not
 * known before the call: the gate under-estimates it, the record is exact.
 */
export const responsesEndpoint: OpenAIEndpoint = (body: ResponsesBody, state: OpenAIWrapState) => {
  const input = responsesInputOf(body);
  const limit =
    typeof body.max_output_tokens === 'number' && body.max_output_tokens > 0
      ? body.max_output_tokens
      : undefined;
  const streaming = body.stream === true;
  return {
    gate: {
      model: String(body.model),
      service: 'llm',
      text: input.text,
      overheadTokens: input.overheadTokens,
      ...(limit === undefined ? {} : { maxOutputTokens: limit }),
    },
    downgradable: true,
    bodyFor(admission: Admission) {
      if (!admission.clamped || admission.maxOutputTokens === undefined) return body;
      return { ...body, max_output_tokens: admission.maxOutputTokens };
    },
    async finish(result: unknown, accounting: OpenAICallAccounting) {
      if (streaming) {
        const observer = new OpenAIResponsesStreamObserver(accounting);
        return observeStream(result as Stream<ResponseStreamEvent>, observer, state.reportError);
      }
      const response = result as OpenAIResponse;
      const details = { responseId: response.id, servedModel: response.model };
      if (response.usage) {
        await accounting.settle(
          convertOpenAIResponsesUsage(response.usage, { webSearches: webSearchesOf(response) }),
          details,
        );
      } else if (body.background === true) {
        // A background response is billed later, out of sight: keep the worst case.
        await accounting.settleFromEstimate(true, details);
      } else {
        await accounting.settleFromOutput({ text: responseOutputText(response) }, details);
      }
      return response;
    },
  };
};
