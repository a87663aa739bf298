import {
  type Admission,
  type BudgetManager,
  countTokens,
  createUsage,
  type ServiceType,
  type SettleInput,
  type Usage,
} from '@tollgate/core';
import { mistralCallContext } from './mistral-call-context';
import type { MistralPrompt } from './mistral-prompt';
import type { ResolvedWrapOptions } from './mistral-wrap-options';

/** What one call asks of the budget before it is made. */
export interface MistralCallEstimate {
  model: string;
  service: ServiceType;
  prompt?: MistralPrompt;
  maxOutputTokens?: number;
  audioSeconds?: number;
  audioBytes?: number;
  characters?: number;
  pages?: number;
}

export interface MistralAdmission {
  /** The model to call: the requested one, or a cheaper one when `downgrade` chose it. */
  readonly model: string;
  readonly admission: Admission;
}

interface DowngradeCapable {
  downgradeFor?: (request: {
    provider: string;
    service: ServiceType;
    model: string;
  }) => Promise<{ model: string; reason: string } | undefined>;
}

/** The budget side of every wrapped call: downgrade, gate, settle or release. */
export class MistralBudgetGate {
  constructor(
    readonly budget: BudgetManager,
    readonly options: ResolvedWrapOptions,
  ) {}

  get provider(): string {
    return this.options.provider;
  }

  async admit(call: MistralCallEstimate): Promise<MistralAdmission> {
    const model = await this.downgraded(call.model, call.service);
    const context = mistralCallContext(this.options.context);
    const admission = await this.budget.gate({
      provider: this.provider,
      model,
      service: call.service,
      ...(call.prompt ? { text: call.prompt.texts, overheadTokens: call.prompt.overheadTokens } : {}),
      ...(call.maxOutputTokens === undefined ? {} : { maxOutputTokens: call.maxOutputTokens }),
      ...(call.audioSeconds === undefined ? {} : { audioSeconds: call.audioSeconds }),
      ...(call.audioBytes === undefined ? {} : { audioBytes: call.audioBytes }),
      ...(call.characters === undefined ? {} : { characters: call.characters }),
      ...(call.pages === undefined ? {} : { pages: call.pages }),
      ...(context ? { context } : {}),
      onInsufficientBudget: this.options.onInsufficientBudget,
      ...(this.options.minOutputTokens === undefined
        ? {}
        : { minOutputTokens: this.options.minOutputTokens }),
    });
    return { model, admission };
  }

  /** Makes the call; a failure releases the hold and rethrows the SDK's own error object unchanged. */
  async call<R>(admission: Admission, call: () => Promise<R>): Promise<R> {
    try {
      return await call();
    } catch (error) {
      await admission.release().catch(() => {});
      throw error;
    }
  }

  /** Makes a non-streamed call and records it before the response is returned. */
  async run<R>(
    admission: Admission,
    call: () => Promise<R>,
    settleInput: (response: R) => SettleInput,
  ): Promise<R> {
    const response = await this.call(admission, call);
    await admission.settle(settleInput(response));
    return response;
  }

  /** Records a streamed call; a failure goes to `onSettleError`, never into the caller's stream. */
  async settleStream(admission: Admission, input: SettleInput): Promise<void> {
    try {
      await admission.settle(input);
    } catch (error) {
      try {
        this.options.onSettleError(error);
      } catch {
        // A failing error handler must not break the caller's stream.
      }
    }
  }

  /** The model to record: the one the provider reports serving, when the catalog knows it. */
  servedModel(reported: unknown, requested: string): string {
    if (typeof reported !== 'string' || reported === requested || reported.length === 0) return requested;
    return this.budget.catalog.resolve(this.provider, reported) ? reported : requested;
  }

  /**
   * A text generation's usage rebuilt from what is known when the provider reported
   * none: the gate's prompt estimate plus the tokens of the text actually generated,
   * at most the output limit the call was admitted with (the API never bills past
   * `maxTokens`; the local count of the text can exceed it). Never empty, so the call
   * is never recorded as free.
   */
  reconstructedUsage(admission: Admission, model: string, generatedText: string): Usage {
    const outputTokens = Math.min(
      countTokens(generatedText, this.provider, model).tokens,
      admission.estimate.outputTokens,
    );
    return createUsage({ inputTokens: Math.max(1, admission.estimate.likelyInputTokens), outputTokens });
  }

  private async downgraded(model: string, service: ServiceType): Promise<string> {
    if (!this.options.downgrade) return model;
    const { downgradeFor } = this.budget as unknown as DowngradeCapable;
    if (typeof downgradeFor !== 'function') return model;
    const choice = await downgradeFor.call(this.budget, { provider: this.provider, service, model });
    return choice?.model ?? model;
  }
}
