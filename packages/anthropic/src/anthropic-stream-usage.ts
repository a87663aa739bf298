import { countTokens } from '@tollgate/core';
import {
  type AdmittedCall,
  judgeUsage,
  type ReceivedOutput,
  type StreamObserver,
  StreamUsageReports,
  type UsageLimits,
  type UsageVerdict,
} from '@tollgate/core/adapter';
import { convertAnthropicUsage } from './convert-anthropic-usage';

/** The stream events tollgate reads; every other event passes by untouched. */
interface StreamEventShape {
  type?: unknown;
  message?: { id?: unknown; model?: unknown; usage?: unknown } | null;
  usage?: unknown;
  delta?: { type?: unknown; text?: unknown; thinking?: unknown; partial_json?: unknown } | null;
  content_block?: { type?: unknown; text?: unknown; thinking?: unknown; data?: unknown } | null;
}

export interface AnthropicStreamSettlement {
  /** The stream's usage, judged under the kit's rule; undefined when it reported none (it broke before `message_start`). */
  verdict: UsageVerdict | undefined;
  /** The usage block the verdict is about, for audit. */
  block: unknown;
  /** True unless the usage is the stream's final one (`message_delta`). */
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
 * holds the totals so far, so the last value is kept and values are never added up; the
 * kit's `StreamUsageReports` holds them to its rule (each well-formed, none going down, no
 * content after the last). When the stream ends before a `message_delta`, the output is
 * the streamed text's tokens (a local count), and the settlement is marked estimated.
 */
export class AnthropicStreamUsage {
  private messageId: string | undefined;
  private model: string | undefined;
  /** `message_start`'s usage, as sent; `undefined` until one came. */
  private start: unknown;
  /** The totals so far: `message_start`'s usage under every `message_delta`'s non-null fields. */
  private merged: Record<string, unknown> = {};
  private readonly deltas: StreamUsageReports;
  // Kept only in memory to count the output of a stream that ends early; never recorded.
  private readonly streamedText: string[] = [];

  constructor(
    private readonly provider: string,
    private readonly requestedModel: string,
    private readonly limits: UsageLimits = {},
  ) {
    this.deltas = new StreamUsageReports(convertAnthropicUsage, limits);
  }

  /** Whether the stream reported its final usage (a `message_delta`). */
  get complete(): boolean {
    return this.deltas.reported;
  }

  /** What the stream generated, for a settlement from its output. */
  get output(): ReceivedOutput {
    return { text: this.streamedText.join(''), minimumTokens: this.streamedText.length };
  }

  observe(event: unknown): void {
    if (event === null || typeof event !== 'object') return;
    const { type } = event as StreamEventShape;
    switch (type) {
      case 'message_start': {
        const message = (event as StreamEventShape).message;
        if (typeof message?.id === 'string') this.messageId = message.id;
        if (typeof message?.model === 'string') this.model = message.model;
        const usage = message?.usage;
        if (usage !== undefined && usage !== null && this.start === undefined) {
          this.start = usage;
          if (isFields(usage)) this.merged = { ...usage };
        }
        break;
      }
      case 'message_delta': {
        const usage = (event as StreamEventShape).usage;
        // Every message_delta carries the usage so far: one without any is reported as it is, and not trusted.
        if (!isFields(usage)) {
          this.deltas.report(usage);
          break;
        }
        const merged: Record<string, unknown> = { ...this.merged };
        for (const [field, value] of Object.entries(usage)) {
          if (value !== null && value !== undefined) merged[field] = value;
        }
        // Every message_delta reports its output so far (the input side may be left out): one without it is not trusted.
        merged.output_tokens = usage.output_tokens;
        this.merged = merged;
        this.deltas.report(merged);
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
   * What to settle with: the last `message_delta`'s totals when the stream reported them;
   * otherwise `message_start`'s input side with the larger of its output and the streamed
   * text's tokens, estimated. The local count stops at `outputLimit`, the `max_tokens` the call
   * was admitted with: the API never bills past it. A malformed `message_start` usage makes the
   * whole stream's usage untrusted.
   */
  settlement(outputLimit = Number.POSITIVE_INFINITY): AnthropicStreamSettlement {
    const identity = {
      ...(this.messageId === undefined ? {} : { requestId: this.messageId }),
      ...(this.model === undefined ? {} : { model: this.model }),
    };
    if (this.start === undefined && !this.deltas.reported)
      return { verdict: undefined, block: undefined, estimated: true, ...identity };
    const start =
      this.start === undefined
        ? undefined
        : judgeUsage(inputSide(this.start), convertAnthropicUsage, this.limits);
    if (start?.problem !== undefined)
      return {
        verdict: { problem: `message_start: ${start.problem}` },
        block: this.start,
        estimated: true,
        ...identity,
      };
    if (this.deltas.reported)
      return { verdict: this.deltas.verdict(), block: this.deltas.block, estimated: false, ...identity };
    const streamedTokens = Math.min(this.streamedTokens(), outputLimit);
    const reportedOutput = start?.usage.output.total ?? 0;
    const block = {
      ...this.merged,
      output_tokens_details: null,
      output_tokens: Math.max(reportedOutput, streamedTokens),
    };
    return {
      verdict: judgeUsage(block, convertAnthropicUsage, this.limits),
      block: this.start,
      estimated: true,
      ...identity,
    };
  }

  private keepText(value: unknown): void {
    if (typeof value !== 'string' || value.length === 0) return;
    this.streamedText.push(value);
    this.deltas.output();
  }

  private streamedTokens(): number {
    if (this.streamedText.length === 0) return 0;
    return countTokens(this.streamedText.join(''), this.provider, this.model ?? this.requestedModel).tokens;
  }
}

const MISSING_USAGE = 'the stream reached message_stop with no usage in a message_delta';

/** Reads a Messages stream for the kit: the call is settled at `message_stop`, or from what came when the stream ends early. */
export class AnthropicStreamObserver implements StreamObserver<unknown> {
  private readonly usage: AnthropicStreamUsage;
  ended = false;

  constructor(private readonly call: AdmittedCall) {
    this.usage = new AnthropicStreamUsage(call.runtime.options.provider, call.model, call.usageLimits);
  }

  observe(event: unknown): void {
    this.usage.observe(event);
    if ((event as StreamEventShape | null)?.type === 'message_stop') this.ended = true;
  }

  finish(): Promise<unknown> {
    const { verdict, block, estimated, requestId, model } = this.usage.settlement(
      this.call.admission.estimate.outputTokens,
    );
    const details = { estimated, responseId: requestId, servedModel: model };
    // A stream cut short never had its usage; one that reached message_stop without it is untrusted.
    const completedWithout = this.ended && estimated;
    if (verdict === undefined) {
      if (!completedWithout) return this.call.settleFromOutput(this.usage.output, details);
      return this.call.settleVerdict({ problem: MISSING_USAGE }, undefined, this.usage.output, details);
    }
    if (completedWithout && verdict.problem === undefined && verdict.usage !== undefined)
      return this.call.settleRebuilt(verdict.usage, MISSING_USAGE, block, details);
    return this.call.settleVerdict(verdict, block, this.usage.output, details);
  }
}

/**
 * `message_start`'s usage without its output details: its output is a placeholder (a token or
 * so) that the details of thinking to come may exceed, and a stream cut short never reports them.
 */
function inputSide(usage: unknown): unknown {
  return isFields(usage) ? { ...usage, output_tokens_details: null } : usage;
}

function isFields(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
