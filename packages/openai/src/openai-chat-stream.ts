import {
  type AdmittedCall,
  type StreamEnding,
  type StreamObserver,
  StreamedOutput,
} from '@tollgate/core/adapter';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { convertOpenAIChatUsage } from './convert-openai-usage';

/** Delta fields of OpenAI-compatible servers that are output but not in the SDK's types (Qwen, DeepSeek, Ollama thinking). */
interface CompatibleDelta {
  content?: string | null;
  refusal?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: Array<{ function?: { name?: string; arguments?: string } }>;
  function_call?: { name?: string; arguments?: string };
}

/** The names and arguments of the tool calls a delta carries. */
function toolCallTexts(delta: CompatibleDelta): unknown[] {
  const texts: unknown[] = [];
  for (const fn of [...(delta.tool_calls ?? []).map((call) => call.function), delta.function_call])
    texts.push(fn?.name, fn?.arguments);
  return texts;
}

/**
 * Watches a chat completion stream. With `stream_options.include_usage` added by the
 * wrapper, the API sends `usage: null` on every chunk and one extra final chunk with
 * `choices: []` and the usage: both are hidden from the caller, who sees exactly the
 * chunks of the request they made.
 */
export class OpenAIChatStreamObserver implements StreamObserver<ChatCompletionChunk> {
  private readonly output: StreamedOutput;
  /** A choice has finished: a usage chunk after it ends the stream. */
  private finished = false;
  ended = false;

  constructor(
    call: AdmittedCall,
    private readonly options: { hideUsage: boolean },
  ) {
    this.output = new StreamedOutput(call);
  }

  observe(chunk: ChatCompletionChunk): boolean {
    this.output.identify(chunk.id, chunk.model);
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    for (const choice of choices) {
      if (choice.finish_reason) this.finished = true;
      const delta = choice.delta as CompatibleDelta | undefined;
      if (!delta) continue;
      const { content, refusal, reasoning_content, reasoning } = delta;
      if (delta.tool_calls || delta.function_call) {
        this.output.add(content, refusal, reasoning_content, reasoning, ...toolCallTexts(delta));
      } else {
        this.output.add(content, refusal, reasoning_content, reasoning);
      }
    }
    // Some servers report a running usage on every chunk: the last one seen wins, under the kit's rule.
    const reported = chunk.usage !== null && chunk.usage !== undefined;
    if (reported) {
      this.output.report(chunk.usage, convertOpenAIChatUsage);
      // A usage chunk before the content is done is no end: the content that follows is billed too.
      if (choices.length === 0 && this.finished) this.ended = true;
    }
    if (!this.options.hideUsage) return true;
    if (choices.length === 0 && reported) return false;
    if ('usage' in chunk) delete (chunk as { usage?: unknown }).usage;
    return true;
  }

  finish(ending: StreamEnding): Promise<unknown> {
    return this.output.settle(ending);
  }
}
