import type { CallContext } from '../budget/call-context';
import type { UncountedSpend } from '../budget/uncounted-spend';
import type { PriceCatalog } from '../catalog/price-catalog';
import type { NormalizedBudget } from '../config/budget-config';
import { suggestionFor } from '../errors/did-you-mean';
import { formatUsd } from '../money/money';
import type { EstimateLayer } from '../estimate/estimate-cost';
import type { ModelRegistry } from '../strategy/model-registry';
import type { WarningChannel } from './warning-channel';

const CONTEXT_FIELD: Readonly<Record<string, string>> = {
  user: 'userId',
  project: 'projectId',
  tag: 'tags',
};

/**
 * The warnings a call can raise before anything is reserved or written: a scoped budget its
 * context does not name (so the call is not charged to it), a provider the catalog does not
 * know, a model it cannot price (charged at a fallback price). Each is raised once per budget,
 * provider or model through the budget's channel, or thrown when the budget is strict.
 */
export class CallWarnings {
  private readonly scoped: readonly NormalizedBudget[];
  private readonly catalog: PriceCatalog;
  private readonly registry: ModelRegistry;
  private readonly warnings: WarningChannel;

  constructor(settings: {
    budgets: readonly NormalizedBudget[];
    catalog: PriceCatalog;
    registry: ModelRegistry;
    warnings: WarningChannel;
  }) {
    this.scoped = settings.budgets.filter((budget) => budget.scope !== 'global');
    this.catalog = settings.catalog;
    this.registry = settings.registry;
    this.warnings = settings.warnings;
  }

  /** Warns about each scoped budget whose scope the call's context does not name. */
  checkContext(context: CallContext): void {
    for (let index = 0; index < this.scoped.length; index++) {
      const budget = this.scoped[index]!;
      if (namesScope(budget.scope, context)) continue;
      this.warnings.warn('TOLLGATE_MISSING_CONTEXT', budget.id, () => {
        const field = CONTEXT_FIELD[budget.scope];
        const named = field ?? `attributes.${budget.scope}`;
        const given = field ?? `attributes: { ${budget.scope} }`;
        return (
          `budget '${budget.id}' (per ${budget.scope}) was not charged: the call names no ${named}; ` +
          `run the call inside budget.withContext({ ${given} }, () => …), or give it in gate()'s context ` +
          `or a wrapped client's context option`
        );
      });
    }
  }

  /** Warns when the call's model is priced by a fallback layer, and first when its provider is unknown. */
  checkPrice(provider: string, model: string, layer: EstimateLayer | 'unpriced'): void {
    if (layer === 'model-price') return;
    if (!this.catalog.knowsProvider(provider)) {
      this.warnings.warn(
        'TOLLGATE_UNKNOWN_PROVIDER',
        provider,
        () =>
          `provider '${provider}' is not in the price catalog${suggestionFor(provider, this.knownProviders())}: ` +
          'its calls are charged at a fallback price; set its prices with createBudget({ prices })',
      );
    }
    this.warnings.warn(
      'TOLLGATE_UNPRICED_MODEL',
      `${provider}/${model}`,
      () =>
        `model '${model}' of provider '${provider}' has no price in the catalog` +
        `${suggestionFor(model, this.catalog.modelsOf(provider))}: it is charged at ${fallbackOf(layer)}; ` +
        'set its price with createBudget({ prices })',
    );
  }

  /**
   * Warns that a provider answered a call with the response id of a call already recorded, so
   * the call was recorded under its own id (`recordedAs`); once per provider.
   */
  duplicateResponseId(provider: string, responseId: string, recordedAs: string): void {
    this.warnings.warn(
      'TOLLGATE_DUPLICATE_RESPONSE_ID',
      provider,
      () =>
        `${provider} answered with response id '${responseId}', which another call's record already has ` +
        `(a server whose ids repeat, such as one restarted): this call was charged and recorded as '${recordedAs}'`,
    );
  }

  /** Reports a budget new to the store that could not be given its period's earlier spend. */
  uncountedSpend({ budgetId, period, uncountedNano }: UncountedSpend): void {
    const perValue = this.scoped.find((budget) => budget.id === budgetId && budget.scopeValue === undefined);
    const counts = perValue
      ? `counts each ${perValue.scope}'s spend from their first call: ${formatUsd(uncountedNano)} their calls ` +
        `recorded earlier in its period (${period}) is not counted in it, so until the period ends each can ` +
        'spend what they spent before it more than its limit'
      : `counts from its first call: ${formatUsd(uncountedNano)} recorded earlier in its period (${period}) is ` +
        'not counted in it, so until the period ends the app can spend up to that much more than its limit';
    this.warnings.report(
      'TOLLGATE_UNCOUNTED_SPEND',
      budgetId,
      `budget '${budgetId}' is new to the store (or has another period or scope) and ${counts}`,
    );
  }

  /** `checkPrice` for a call recorded without a gate: the model is priced when the catalog resolves it. */
  checkRecordedModel(provider: string, model: string, at: number): void {
    if (this.catalog.resolve(provider, model, new Date(at)) === undefined)
      this.checkPrice(provider, model, 'unpriced');
  }

  private knownProviders(): string[] {
    return [
      ...new Set([...this.catalog.providers(), ...this.registry.list().map((entry) => entry.provider)]),
    ];
  }
}

function namesScope(scope: string, context: CallContext): boolean {
  switch (scope) {
    case 'user':
      return context.userId !== undefined;
    case 'project':
      return context.projectId !== undefined;
    case 'tag':
      return context.tags !== undefined && context.tags.length > 0;
    default:
      return context.attributes !== undefined && Object.hasOwn(context.attributes, scope);
  }
}

function fallbackOf(layer: EstimateLayer | 'unpriced'): string {
  if (layer === 'service-fallback')
    return 'the generic price of its service, which a premium model can exceed';
  if (layer === 'minimal-fallback') return 'the minimal fallback of $0.01 a call';
  return 'a fallback price';
}
