import type { Response as OpenAIResponse, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { convertOpenAIResponsesUsage } from './convert-openai-usage';
import type { OpenAIStreamObserver } from './openai-budgeted-stream';
import type { OpenAICallAccounting } from './openai-call-accounting';

/** Web search calls in a response's output: billed per call. */
export function webSearchesOf(response: Pick<OpenAIResponse, 'output'>): number {
  return (response.output ?? []).filter((item) => item.type === 'web_search_call').length;
}

/** The text a response generated (messages, refusals, tool-call arguments), for an estimate when it reports no usage. */
export function responseOutputText(response: Pick<OpenAIResponse, 'output'>): string {
  const parts: string[] = [];
  for (const item of response.output ?? []) {
    if (item.type === 'message') {
      for (const part of item.content ?? []) {
        if (part.type === 'output_text') parts.push(part.text);
        else if (part.type === 'refusal') parts.push(part.refusal);
      }
    } else if (item.type === 'function_call') {
      parts.push(item.name, item.arguments);
    }
  }
  return parts.join('');
}

const FINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);
// Deltas that carry base64 data, not generated text.
const BINARY_DELTAS = new Set(['response.audio.delta', 'response.image_generation_call.partial_image']);

/** Watches a Responses stream: every event is passed on; the final event's `response.usage` settles the call. */
export class OpenAIResponsesStreamObserver implements OpenAIStreamObserver<ResponseStreamEvent> {
  private readonly output: string[] = [];
  private deltas = 0;
  private final: OpenAIResponse | undefined;
  private responseId: string | undefined;
  private servedModel: string | undefined;

  constructor(private readonly accounting: OpenAICallAccounting) {}

  get complete(): boolean {
    return this.final?.usage != null;
  }

  observe(event: ResponseStreamEvent): boolean {
    const withResponse = event as { response?: OpenAIResponse };
    if (withResponse.response && typeof withResponse.response === 'object') {
      this.responseId ??= withResponse.response.id;
      this.servedModel ??= withResponse.response.model;
    }
    if (FINAL_EVENTS.has(event.type)) this.final = withResponse.response;
    const delta = (event as { delta?: unknown }).delta;
    if (
      event.type.endsWith('.delta') &&
      !BINARY_DELTAS.has(event.type) &&
      typeof delta === 'string' &&
      delta.length > 0
    ) {
      this.output.push(delta);
      this.deltas += 1;
    }
    return true;
  }

  finish(): Promise<unknown> {
    const details = { responseId: this.responseId, servedModel: this.servedModel };
    const final = this.final;
    if (final?.usage) {
      return this.accounting.settle(
        convertOpenAIResponsesUsage(final.usage, { webSearches: webSearchesOf(final) }),
        details,
      );
    }
    return this.accounting.settleFromOutput(
      { text: this.output.join(''), minimumTokens: this.deltas },
      details,
    );
  }
}
