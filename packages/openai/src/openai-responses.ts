import {
  type AdapterRuntime,
  type AdmittedCall,
  type CallPlan,
  type PlannedGate,
  requestWith,
} from '@tollgate/core/adapter';
import type { Response as OpenAIResponse, ResponseCreateParams } from 'openai/resources/responses/responses';
import {
  collectDefinitions,
  collectInputText,
  type OpenAIInput,
  TOKENS_PER_MESSAGE,
  TOKENS_PER_REPLY,
} from './collect-openai-input';
import { pricedModelOf } from './azure-deployments';
import { convertOpenAIResponsesUsage } from './convert-openai-usage';
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
class ResponsePlan implements CallPlan {
  readonly gate: PlannedGate;
  readonly downgradable = true;

  constructor(
    private readonly body: ResponsesBody,
    runtime: AdapterRuntime,
  ) {
    const input = responsesInputOf(body);
    const limit = body.max_output_tokens;
    this.gate = {
      model: pricedModelOf(runtime, body.model),
      service: 'llm',
      text: input.text,
      overheadTokens: input.overheadTokens,
      maxOutputTokens: typeof limit === 'number' && limit > 0 ? limit : undefined,
    };
  }

  request(call: AdmittedCall): ResponsesBody {
    const clamped = call.clampedOutputTokens;
    return clamped === undefined ? this.body : requestWith(this.body, { max_output_tokens: clamped });
  }

  stream(call: AdmittedCall): OpenAIResponsesStreamObserver {
    return new OpenAIResponsesStreamObserver(call);
  }

  settle(response: OpenAIResponse, call: AdmittedCall): Promise<unknown> {
    const details = { responseId: response.id, servedModel: response.model };
    const { usage } = response;
    // A background response is billed later, out of sight: the worst case is kept.
    if ((usage === undefined || usage === null) && this.body.background === true)
      return call.settleFromEstimate(details);
    const webSearches = webSearchesOf(response);
    return call.settleUsage(
      usage,
      (block, limits) => convertOpenAIResponsesUsage(block, { webSearches }, limits),
      { text: responseOutputText(response) },
      details,
    );
  }
}

export function planResponse(body: ResponsesBody, runtime: AdapterRuntime): CallPlan {
  return new ResponsePlan(body, runtime);
}
