import {
  type Admission,
  countTokens,
  createUsage,
  isEmptyUsage,
  type SettledCall,
  type SettleInput,
  type Usage,
  validateId,
} from '../index';
import type { AdapterRuntime } from './adapter-runtime';
import type { CallPlan } from './call-plan';
import { DEFAULT_CONTEXT_BOUND, type UsageLimits } from './usage-block-reader';
import {
  contextWindowOf,
  implausibility,
  judgeUsage,
  rawUsageText,
  type UsageConverter,
  type UsageVerdict,
} from './usage-trust';

/** What a provider's response says about the call besides its usage. */
export interface SettleDetails {
  /** The response id: the record's id when core accepts it as one, else the admission's id is kept. */
  readonly responseId?: unknown;
  /** The model the provider says served the call: recorded when the catalog knows it (a dated id). */
  readonly servedModel?: unknown;
  /** True when the usage was rebuilt, not read from the provider. */
  readonly estimated?: boolean;
  /** The provider's usage block that could not be trusted, as JSON, kept on the record for audit. */
  readonly rawUsage?: string;
}

/** What was received of a call whose usage never came. */
export interface ReceivedOutput {
  /** The generated text (content, reasoning, tool-call arguments), counted with core's counter. */
  readonly text: string;
  /** A floor for the count: pieces received (one token each at least). */
  readonly minimumTokens?: number;
}

/**
 * How a call whose usage cannot be trusted is settled, as one that reported none: from the
 * output received (text generations, embeddings), or at the gate's estimate (`'estimate'`:
 * speech, audio, images, whose output cannot be counted).
 */
export type UsageFallback = ReceivedOutput | 'estimate';

const NO_DETAILS: SettleDetails = {};

/**
 * One call the gate let through, and what settles it. The admission makes settlement
 * idempotent: the first settle or release wins.
 */
export class AdmittedCall {
  constructor(
    readonly admission: Admission,
    readonly plan: CallPlan,
    readonly runtime: AdapterRuntime,
    /** The caller's request, with the cheaper model when a downgrade chose one. */
    readonly request: object,
  ) {}

  /** What is sent: the plan's request, or the caller's. */
  sentRequest(): unknown {
    return this.plan.request ? this.plan.request(this) : this.request;
  }

  /** The model the call was admitted for: the requested one, or the cheaper one a downgrade chose. */
  get model(): string {
    return this.admission.estimate.model;
  }

  /** The output limit of each choice when the gate shrank it, else undefined (the caller's limit stands). */
  get clampedOutputTokens(): number | undefined {
    const { clamped, maxOutputTokens } = this.admission;
    if (!clamped || maxOutputTokens === undefined) return undefined;
    return Math.max(1, Math.floor(maxOutputTokens / (this.plan.choices ?? 1)));
  }

  /**
   * The bounds the counts of this call's usage block must stay within: its model's context
   * window. An embedding request's inputs each fit the window but add up beyond it (a batch),
   * so they are held to the general bound only.
   */
  get usageLimits(): UsageLimits {
    const { estimate } = this.admission;
    if (estimate.serviceType === 'embedding') return { contextWindow: DEFAULT_CONTEXT_BOUND };
    return { contextWindow: contextWindowOf(estimate.resolved) };
  }

  /**
   * Settles from the provider's usage block, converted by the adapter's mapping under the kit's
   * rule (`readUsageBlock`). A block that is missing, malformed, beyond the context window, or
   * that says nothing was used, is not trusted: the call is settled by `fallback` as one that
   * reported no usage, marked estimated, and the budget is warned (`TOLLGATE_UNTRUSTED_USAGE`).
   */
  settleUsage(
    block: unknown,
    convert: UsageConverter,
    fallback: UsageFallback,
    details: SettleDetails = NO_DETAILS,
  ): Promise<SettledCall> {
    return this.settleVerdict(judgeUsage(block, convert, this.usageLimits), block, fallback, details);
  }

  /** Settles from a judged usage (`settleUsage`; a stream's `StreamUsageReports`). */
  async settleVerdict(
    verdict: UsageVerdict,
    block: unknown,
    fallback: UsageFallback,
    details: SettleDetails = NO_DETAILS,
  ): Promise<SettledCall> {
    const { serviceType, likelyInputTokens } = this.admission.estimate;
    const problem =
      verdict.problem ??
      implausibility(verdict.usage, {
        service: serviceType,
        promptTokens: likelyInputTokens,
        outputReceived: fallback !== 'estimate' && fallback.text.length > 0,
      });
    if (problem === undefined) return this.settle(verdict.usage as Usage, details);
    const raw = rawUsageText(block);
    const rebuilt: SettleDetails = { ...details, estimated: true, rawUsage: raw };
    const settled = await (fallback === 'estimate'
      ? this.settleFromEstimate(rebuilt)
      : this.settleFromOutput(fallback, rebuilt));
    // After the record is written: a strict budget throws the warning.
    this.warnUntrusted(problem, raw);
    return settled;
  }

  /**
   * Settles at a usage the adapter rebuilt from what the provider did report (a stream that
   * completed without its final usage: the input side of its first event and the output
   * received), marked estimated, with the provider's block kept for audit, and warns as for a
   * usage that cannot be trusted (`TOLLGATE_UNTRUSTED_USAGE`, after the record is written).
   */
  async settleRebuilt(
    usage: Usage,
    problem: string,
    block: unknown,
    details: SettleDetails = NO_DETAILS,
  ): Promise<SettledCall> {
    const raw = rawUsageText(block);
    const settled = await this.settle(usage, { ...details, estimated: true, rawUsage: raw });
    this.warnUntrusted(problem, raw);
    return settled;
  }

  /** Settles the call at the usage the provider reported (already converted and checked). */
  settle(usage: Usage, details: SettleDetails = NO_DETAILS): Promise<SettledCall> {
    const input: SettleInput = { usage };
    if (details.estimated) input.estimated = true;
    if (details.rawUsage !== undefined) input.rawUsage = details.rawUsage;
    if (this.runtime.uniqueResponseIds !== false && isUsableId(details.responseId))
      input.requestId = details.responseId;
    const model = this.recordedModel(details.servedModel);
    if (model !== this.model) input.model = model;
    return this.admission.settle(input);
  }

  /**
   * Settles a call whose usage never arrived (a stream cut short, a body that could not be
   * read, a response without usage), marked estimated: the gate's input at its likely count
   * plus the tokens of the output received. A text generation's output is at most the limit
   * it was admitted with, which the provider never bills past; a local count of the text
   * above it is an over-count.
   */
  settleFromOutput(output: ReceivedOutput, details: SettleDetails = NO_DETAILS): Promise<SettledCall> {
    const { usage, likelyInputTokens } = this.admission.estimate;
    const { input } = usage;
    const rebuilt = createUsage({
      inputTokens: Math.max(input.audio, input.noCache - (input.total - likelyInputTokens)),
      cacheReadTokens: input.cacheRead,
      cacheWriteTokens: input.cacheWrite,
      inputAudioTokens: input.audio,
      outputTokens: this.outputTokensOf(output.text, output.minimumTokens),
      audioSeconds: usage.audioSeconds,
      characters: usage.characters,
    });
    // Never recorded as free: a call that was sent was billed for something.
    const billed = isEmptyUsage(rebuilt) ? createUsage({ inputTokens: 1 }) : rebuilt;
    return this.settle(billed, { ...details, estimated: true });
  }

  /**
   * Settles at the gate's own estimate, when the response reports nothing to read (a plain-text
   * transcript, audio); marked estimated unless `details.estimated` is false (a price per
   * character, whose count is exact).
   */
  settleFromEstimate(details: SettleDetails = NO_DETAILS): Promise<SettledCall> {
    const { responseId, servedModel, estimated = true, rawUsage } = details;
    return this.settle(this.admission.estimate.usage, { responseId, servedModel, estimated, rawUsage });
  }

  /** The tokens of generated text, at least `minimumTokens`, and for a text generation at most its admitted output. */
  outputTokensOf(text: string, minimumTokens = 0): number {
    const { serviceType, outputTokens, provider } = this.admission.estimate;
    const counted = text.length === 0 ? 0 : countTokens(text, provider, this.model).tokens;
    const received = Math.max(counted, minimumTokens);
    return serviceType === 'llm' ? Math.min(received, outputTokens) : received;
  }

  /** The model to record: the served one when the catalog knows it, so that an unknown alias never falls back to a generic price. */
  recordedModel(servedModel: unknown): string {
    if (servedModel === this.model || !isUsableId(servedModel)) return this.model;
    try {
      return this.runtime.budget.catalog.resolve(this.runtime.options.provider, servedModel)
        ? servedModel
        : this.model;
    } catch {
      return this.model;
    }
  }

  private warnUntrusted(problem: string, raw: string | undefined): void {
    const warnings = this.runtime.budget.warnings;
    // A budget built by another copy of core may have no channel.
    if (typeof warnings?.warn !== 'function') return;
    const { provider } = this.runtime.options;
    warnings.warn(
      'TOLLGATE_UNTRUSTED_USAGE',
      `${provider}/${this.model}`,
      `${provider} ${this.model}: ${problem}; the call was recorded from local counts, marked estimated` +
        (raw === undefined ? '' : ` (usage: ${raw})`),
    );
  }

  /** Gives the hold back: the call failed before anything was billed. */
  release(): Promise<void> {
    return this.admission.release();
  }
}

/** Whether a value from the provider passes core's id rules; an odd one falls back instead of failing a billed call. */
function isUsableId(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    validateId(value, 'id');
    return true;
  } catch {
    return false;
  }
}
