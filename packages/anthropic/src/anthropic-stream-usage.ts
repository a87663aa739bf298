import { countTokens, createUsage, type Usage } from '@tollgate/core';
import type { AdmittedCall, StreamObserver } from '@tollgate/core/adapter';
import { type AnthropicUsageFields, convertAnthropicUsage } from './convert-anthropic-usage';

/** The stream events tollgate reads; every other event passes by untouched. */
interface StreamEventShape {
  type?: unknown;
  message?: { id?: unknown; model?: unknown; usage?: AnthropicUsageFields | null } | null;
  usage?: AnthropicUsageFields | null;
  delta?: { type?: unknown; text?: unknown; thinking?: unknown; partial_json?: unknown } | null;
  content_block?: { type?: unknown; text?: unknown; thinking?: unknown; data?: unknown } | null;
}

export interface AnthropicStreamSettlement {
  usage: Usage;
  estimated: boolean;
  /** The message id (`msg_…`), once `message_start` was seen. */
  requestId?: string;
  /** The model that served the stream, once `message_start` was seen. */
  model?: string;
}

/**
 * Follows the usage of one Messages stream.
 *
 * `message_start.message.usage` carries the input side (uncached input, cache reads and
 * writes) and a placeholder output count. `message_delta.usage` is CUMULATIVE: each one
 * holds the totals so far, so the last value is kept and values are never added up.
 * When the stream ends before a `message_delta`, the output is the streamed text's
 * tokens (a local count), and the settlement is marked estimated.
 */
export class AnthropicStreamUsage {
  private messageId: string | undefined;
  private model: string | undefined;
  private usage: AnthropicUsageFields | undefined;
  private finalUsageSeen = false;
  // Kept only in memory to count the output of a stream that ends early; never recorded.
  private readonly streamedText: string[] = [];

  constructor(
    private readonly provider: string,
    private readonly requestedModel: string,
  ) {}

  /** Whether the stream reported its final usage (a `message_delta`). */
  get complete(): boolean {
    return this.finalUsageSeen;
  }

  observe(event: unknown): void {
    if (event === null || typeof event !== 'object') return;
    const { type } = event as StreamEventShape;
    switch (type) {
      case 'message_start': {
        const message = (event as StreamEventShape).message;
        if (typeof message?.id === 'string') this.messageId = message.id;
        if (typeof message?.model === 'string') this.model = message.model;
        if (message?.usage) this.usage = { ...message.usage };
        break;
      }
      case 'message_delta': {
        const usage = (event as StreamEventShape).usage;
        if (!usage) break;
        const merged: Record<string, unknown> = { ...this.usage };
        for (const [field, value] of Object.entries(usage)) {
          if (value !== null && value !== undefined) merged[field] = value;
        }
        this.usage = merged as AnthropicUsageFields;
        this.finalUsageSeen = true;
        break;
      }
      case 'content_block_start': {
        const block = (event as StreamEventShape).content_block;
        this.keepText(block?.text);
        this.keepText(block?.thinking);
        if (block?.type === 'redacted_thinking') this.keepText(block.data);
        break;
      }
      case 'content_block_delta': {
        const delta = (event as StreamEventShape).delta;
        this.keepText(delta?.text);
        this.keepText(delta?.thinking);
        this.keepText(delta?.partial_json);
        break;
      }
    }
  }

  /**
   * What to settle with: the reported usage when the stream finished, otherwise the input
   * side of `message_start` (or `fallbackInputTokens` when none arrived) plus the larger
   * of the reported output so far and the streamed text's tokens. The local count stops at
   * `outputLimit`, the `max_tokens` the call was admitted with: the API never bills past it.
   */
  settlement(fallbackInputTokens: number, outputLimit = Number.POSITIVE_INFINITY): AnthropicStreamSettlement {
    const identity = {
      ...(this.messageId === undefined ? {} : { requestId: this.messageId }),
      ...(this.model === undefined ? {} : { model: this.model }),
    };
    if (this.finalUsageSeen && this.usage) {
      return { usage: convertAnthropicUsage(this.usage), estimated: false, ...identity };
    }
    const streamedTokens = Math.min(this.streamedTokens(), outputLimit);
    if (!this.usage) {
      return {
        usage: createUsage({ inputTokens: fallbackInputTokens, outputTokens: streamedTokens }),
        estimated: true,
        ...identity,
      };
    }
    const reportedOutput = typeof this.usage.output_tokens === 'number' ? this.usage.output_tokens : 0;
    const usage = convertAnthropicUsage({
      ...this.usage,
      output_tokens: Math.max(reportedOutput, streamedTokens),
    });
    return { usage, estimated: true, ...identity };
  }

  private keepText(value: unknown): void {
    if (typeof value === 'string' && value.length > 0) this.streamedText.push(value);
  }

  private streamedTokens(): number {
    if (this.streamedText.length === 0) return 0;
    return countTokens(this.streamedText.join(''), this.provider, this.model ?? this.requestedModel).tokens;
  }
}

/** Reads a Messages stream for the kit: the call is settled at `message_stop`, or from what came when the stream ends early. */
export class AnthropicStreamObserver implements StreamObserver<unknown> {
  private readonly usage: AnthropicStreamUsage;
  ended = false;

  constructor(private readonly call: AdmittedCall) {
    this.usage = new AnthropicStreamUsage(call.runtime.options.provider, call.model);
  }

  observe(event: unknown): void {
    this.usage.observe(event);
    if ((event as StreamEventShape | null)?.type === 'message_stop') this.ended = true;
  }

  finish(): Promise<unknown> {
    const { likelyInputTokens, outputTokens } = this.call.admission.estimate;
    const { usage, estimated, requestId, model } = this.usage.settlement(likelyInputTokens, outputTokens);
    return this.call.settle(usage, { estimated, responseId: requestId, servedModel: model });
  }
}
