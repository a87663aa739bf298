import { type BudgetManager, ValidationError } from '@tollgate/core';
import {
  type AdapterOptions,
  type AdapterRuntime,
  checkBudget,
  type ResolvedAdapterOptions,
  resolveAdapterOptions,
} from '@tollgate/core/adapter';
import { aiSdkProviderId } from './ai-sdk-provider-id';

/**
 * The options of `tollgateMiddleware` and `tollgateEmbeddingMiddleware`: the options every
 * tollgate adapter takes, except `downgrade` (an AI SDK model is fixed when it is wrapped: pick a
 * cheaper one with `budget.select()` before wrapping it).
 */
export interface TollgateMiddlewareOptions extends Omit<AdapterOptions, 'downgrade'> {
  /**
   * The provider whose prices apply and that records name, for every model the middleware
   * wraps. Default: each model's own, from the `provider` it reports (`aiSdkProviderId`).
   */
  provider?: string;
}

/** What every call of one middleware shares: one runtime per provider its models report. */
export class AiSdkRuntimes {
  readonly #budget: BudgetManager;
  readonly #options: ResolvedAdapterOptions;
  readonly #fixedProvider: boolean;
  readonly #byProvider = new Map<string, AdapterRuntime>();

  constructor(budget: unknown, options: unknown) {
    this.#budget = checkBudget(budget);
    if (
      options !== null &&
      typeof options === 'object' &&
      (options as { downgrade?: unknown }).downgrade !== undefined
    )
      throw new ValidationError({
        field: 'options.downgrade',
        message:
          'is not an option of the AI SDK middleware: the model is fixed when it is wrapped (pick it with budget.select())',
      });
    this.#options = resolveAdapterOptions(
      options,
      { provider: 'openai', label: 'AI SDK', withoutOptions: ['downgrade'] },
      this.#budget,
    );
    this.#fixedProvider = (options as TollgateMiddlewareOptions).provider !== undefined;
  }

  /** The runtime of a model's calls: its provider's. */
  of(model: { readonly provider?: unknown }): AdapterRuntime {
    const provider = this.#fixedProvider ? this.#options.provider : aiSdkProviderId(model.provider);
    let runtime = this.#byProvider.get(provider);
    if (runtime === undefined) {
      runtime = { budget: this.#budget, options: Object.assign({}, this.#options, { provider }) };
      this.#byProvider.set(provider, runtime);
    }
    return runtime;
  }
}

/** The model id to price and record: Gemini's `models/` prefix left out. */
export function aiSdkModelId(model: { readonly modelId?: unknown }): string {
  const { modelId } = model;
  if (typeof modelId !== 'string') return '';
  return modelId.startsWith('models/') ? modelId.slice('models/'.length) : modelId;
}
