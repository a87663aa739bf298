import {
  type AdmittedCall,
  type StreamEnding,
  type StreamObserver,
  StreamedOutput,
} from '@tollgate/core/adapter';
import type { Response as OpenAIResponse, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { convertOpenAIResponsesUsage } from './convert-openai-usage';

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
export class OpenAIResponsesStreamObserver implements StreamObserver<ResponseStreamEvent> {
  private readonly output: StreamedOutput;
  ended = false;

  constructor(call: AdmittedCall) {
    this.output = new StreamedOutput(call);
  }

  observe(event: ResponseStreamEvent): boolean {
    const response = (event as { response?: OpenAIResponse }).response;
    if (response && typeof response === 'object') this.output.identify(response.id, response.model);
    if (event.type.endsWith('.delta') && !BINARY_DELTAS.has(event.type))
      this.output.add((event as { delta?: unknown }).delta);
    if (FINAL_EVENTS.has(event.type) && response && response.usage !== null && response.usage !== undefined) {
      const webSearches = webSearchesOf(response);
      this.output.report(response.usage, (block, limits) =>
        convertOpenAIResponsesUsage(block, { webSearches }, limits),
      );
      this.ended = true;
    }
    return true;
  }

  finish(ending: StreamEnding): Promise<unknown> {
    return this.output.settle(ending);
  }
}
