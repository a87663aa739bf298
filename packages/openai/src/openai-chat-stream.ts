import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { convertOpenAIChatUsage, type OpenAIChatUsageFields } from './convert-openai-usage';
import type { OpenAIStreamObserver } from './openai-budgeted-stream';
import type { OpenAICallAccounting } from './openai-call-accounting';

/** Delta fields of OpenAI-compatible servers that are output but not in the SDK's types (Qwen, DeepSeek, Ollama thinking). */
interface CompatibleDelta {
  content?: string | null;
  refusal?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: Array<{ function?: { name?: string; arguments?: string } }>;
  function_call?: { name?: string; arguments?: string };
}

/**
 * Watches a chat completion stream. With `stream_options.include_usage` added by the
 * wrapper, the API sends `usage: null` on every chunk and one extra final chunk with
 * `choices: []` and the usage: both are hidden from the caller, who sees exactly the
 * chunks of the request they made.
 */
export class OpenAIChatStreamObserver implements OpenAIStreamObserver<ChatCompletionChunk> {
  private readonly output: string[] = [];
  private contentChunks = 0;
  private usage: OpenAIChatUsageFields | undefined;
  private responseId: string | undefined;
  private servedModel: string | undefined;
  private finalUsageSeen = false;

  constructor(
    private readonly accounting: OpenAICallAccounting,
    private readonly options: { hideUsage: boolean },
  ) {}

  get complete(): boolean {
    return this.finalUsageSeen;
  }

  observe(chunk: ChatCompletionChunk): boolean {
    this.responseId ??= chunk.id;
    this.servedModel ??= chunk.model;
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    for (const choice of choices) {
      const delta = choice.delta as CompatibleDelta | undefined;
      if (!delta) continue;
      const before = this.output.length;
      for (const text of [delta.content, delta.refusal, delta.reasoning_content, delta.reasoning]) {
        if (typeof text === 'string' && text.length > 0) this.output.push(text);
      }
      for (const fn of [...(delta.tool_calls ?? []).map((call) => call.function), delta.function_call]) {
        if (fn?.name) this.output.push(fn.name);
        if (fn?.arguments) this.output.push(fn.arguments);
      }
      if (this.output.length > before) this.contentChunks += 1;
    }
    // Some servers report a running usage on every chunk: the last one seen wins.
    if (chunk.usage) {
      this.usage = chunk.usage;
      if (choices.length === 0) this.finalUsageSeen = true;
    }
    if (!this.options.hideUsage) return true;
    if (choices.length === 0 && chunk.usage) return false;
    if ('usage' in chunk) delete (chunk as { usage?: unknown }).usage;
    return true;
  }

  finish(): Promise<unknown> {
    const details = { responseId: this.responseId, servedModel: this.servedModel };
    if (this.usage) return this.accounting.settle(convertOpenAIChatUsage(this.usage), details);
    return this.accounting.settleFromOutput(
      { text: this.output.join(''), minimumTokens: this.contentChunks },
      details,
    );
  }
}
