import {
  type Admission,
  type BudgetManager,
  countTokens,
  createUsage,
  type SettledCall,
  type Usage,
  validateId,
} from '@tollgate/core';

/**
 * Whether an id from the provider passes core's id rules, so that an odd id from an
 * OpenAI-compatible server falls back to the admission's id instead of failing the call.
 */
function isUsableId(value: unknown): value is string {
  try {
    validateId(value, 'id');
    return true;
  } catch {
    return false;
  }
}

/** Providers whose response ids are not unique enough to be a record's idempotency key. */
const PROVIDERS_WITH_REUSED_IDS = new Set(['ollama']);

/**
 * Settles one admitted call: from the provider's usage when it reported one, else
 * from the gate's input estimate plus the output actually received (marked estimated).
 * The admission itself makes settlement idempotent: the first settle wins.
 */
export class OpenAICallAccounting {
  constructor(
    readonly admission: Admission,
    private readonly budget: BudgetManager,
    private readonly provider: string,
  ) {}

  settle(
    usage: Usage,
    details: { responseId?: unknown; servedModel?: unknown; estimated?: boolean } = {},
  ): Promise<SettledCall> {
    const requestId = this.requestIdFor(details.responseId);
    const model = this.modelFor(details.servedModel);
    return this.admission.settle({
      usage,
      ...(details.estimated ? { estimated: true } : {}),
      ...(requestId === undefined ? {} : { requestId }),
      ...(model === undefined ? {} : { model }),
    });
  }

  /**
   * Settles a call whose usage never arrived (stream abandoned, dropped, usage left
   * out): the gate's input tokens plus the tokens of the output that was received.
   * A text generation's output is at most the limit it was admitted with (the request's
   * limit, clamped, or the model's maximum), which the provider never bills past: a
   * local count of the text above it is an over-count and would exceed the reservation.
   */
  settleFromOutput(
    output: { text: string; minimumTokens?: number },
    details: { responseId?: unknown; servedModel?: unknown } = {},
  ) {
    const { usage, serviceType, outputTokens: admittedOutput } = this.admission.estimate;
    const counted = countTokens(output.text, this.provider, this.admission.estimate.model).tokens;
    const received = Math.max(counted, output.minimumTokens ?? 0);
    return this.settle(
      createUsage({
        inputTokens: usage.input.noCache,
        cacheReadTokens: usage.input.cacheRead,
        cacheWriteTokens: usage.input.cacheWrite,
        inputAudioTokens: usage.input.audio,
        outputTokens: serviceType === 'llm' ? Math.min(received, admittedOutput) : received,
        audioSeconds: usage.audioSeconds,
        characters: usage.characters,
      }),
      { ...details, estimated: true },
    );
  }

  /** Settles at the gate's estimate (no usage to read: a plain-text transcript, generated speech). */
  settleFromEstimate(estimated: boolean, details: { responseId?: unknown } = {}) {
    return this.settle(this.admission.estimate.usage, { ...details, estimated });
  }

  release(): Promise<void> {
    return this.admission.release();
  }

  private requestIdFor(responseId: unknown): string | undefined {
    if (!isUsableId(responseId) || PROVIDERS_WITH_REUSED_IDS.has(this.provider)) return undefined;
    return responseId;
  }

  /** The served model (e.g. a dated id) when the catalog knows it, so that an unknown alias never falls back to a generic price. */
  private modelFor(servedModel: unknown): string | undefined {
    if (!isUsableId(servedModel)) return undefined;
    if (servedModel === this.admission.estimate.model) return undefined;
    try {
      return this.budget.catalog.resolve(this.provider, servedModel) ? servedModel : undefined;
    } catch {
      return undefined;
    }
  }
}
