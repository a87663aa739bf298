import { estimateCall } from '../admission/estimate-call';
import { ALERT_LEVELS, type AlertLevel, alertLevelFor } from '../alerts/alert-level';
import type { BudgetCounters } from '../budget/budget-counters';
import { type CallContext, resolveContext } from '../budget/call-context';
import type { BudgetSettings } from '../config/budget-settings';
import {
  orDefault,
  validateArray,
  validateCount,
  validateId,
  validateOneOf,
  validatePlainObject,
} from '../errors/validation';
import type { NanoUsd } from '../money/money';
import type { BoundedStore } from '../store/bounded-store';
import { SERVICE_TYPES, type ServiceType } from '../usage';
import { COST_STRATEGIES, type CostStrategy, strategyForLevel } from './cost-strategy';
import { type ModelCandidate, rankCandidates } from './rank-candidates';
import {
  referenceRequest,
  SELECT_OPTION_KEYS,
  type SelectOptions,
  validateSelectAmounts,
} from './reference-request';
import { rejectUnknownKeys } from '../errors/reject-unknown-keys';

/** The cost strategy of the current alert level, the models it ranks first, and the downgrade it calls for. */
export class StrategySelector {
  private readonly settings: BudgetSettings;
  private readonly store: BoundedStore;
  private readonly counters: BudgetCounters;

  constructor(parts: { settings: BudgetSettings; store: BoundedStore; counters: BudgetCounters }) {
    this.settings = parts.settings;
    this.store = parts.store;
    this.counters = parts.counters;
  }

  async strategy(context?: CallContext): Promise<CostStrategy> {
    // Only the budgets a call in this context is charged to: a budget pinned to another
    // user or project shows in `status()` but must not set this call's strategy.
    const now = this.settings.clock();
    const counters = this.counters.forCall(resolveContext(context), now);
    const states = await this.store.readCounters(
      counters.map((c) => c.limit),
      now,
    );
    let level: AlertLevel = 'GREEN';
    for (const [index, { budget }] of counters.entries()) {
      const current = alertLevelFor(states[index]!.committed, budget.limitNano, budget.thresholds);
      if (ALERT_LEVELS.indexOf(current) > ALERT_LEVELS.indexOf(level)) level = current;
    }
    return strategyForLevel(level);
  }

  async select(options: SelectOptions): Promise<ModelCandidate[]> {
    validatePlainObject(options, 'options');
    rejectUnknownKeys(options, SELECT_OPTION_KEYS, 'options');
    const service = validateOneOf(options.service, 'service', SERVICE_TYPES);
    validateSelectAmounts(options);
    const strategy =
      options.strategy === undefined
        ? await this.strategy(options.context)
        : validateOneOf(options.strategy, 'strategy', COST_STRATEGIES);
    const minTier = validateCount(orDefault(options.minTier, 1), 'minTier', 4);
    const providers =
      options.providers === undefined
        ? undefined
        : validateArray(options.providers, 'providers').map((provider, index) =>
            validateId(provider, `providers[${index}]`),
          );
    const entries = this.settings.registry
      .list(service)
      .filter(
        (entry) => entry.tier >= minTier && (providers === undefined || providers.includes(entry.provider)),
      );
    const priced = entries.map((entry) => ({
      ...entry,
      estimatedCost: estimateCall(this.settings, referenceRequest(entry, options)).costNano,
    }));
    const available = await this.available(options.context);
    return rankCandidates(priced, strategy, available);
  }

  async downgradeFor(request: {
    provider: string;
    service?: ServiceType;
    model: string;
    context?: CallContext;
  }): Promise<{ model: string; reason: string } | undefined> {
    validatePlainObject(request, 'request');
    rejectUnknownKeys(request, ['provider', 'service', 'model', 'context'], 'request');
    // Checked before the strategy is known, so that a bad request is refused at every alert level.
    const provider = validateId(request.provider, 'provider');
    const model = validateId(request.model, 'model');
    if (request.service !== undefined) validateOneOf(request.service, 'service', SERVICE_TYPES);
    const strategy = await this.strategy(request.context);
    if (strategy === 'QUALITY_FIRST') return undefined;
    const { catalog, registry } = this.settings;
    const service = request.service ?? catalog.resolve(provider, model)?.service ?? 'llm';
    const current =
      registry.find(provider, model) ??
      registry.find(provider, catalog.resolve(provider, model)?.model ?? model);
    const currentCost = estimateCall(
      this.settings,
      referenceRequest({ provider, model, service }, { service }),
    ).costNano;
    const minTier = strategy === 'BALANCED' && current ? current.tier - 1 : 1;
    const candidates = await this.select({
      service,
      strategy,
      providers: [provider],
      minTier,
      ...(request.context ? { context: request.context } : {}),
    });
    const choice = candidates.find(
      (candidate) => candidate.model !== model && candidate.estimatedCostNano < currentCost,
    );
    if (!choice) return undefined;
    return { model: choice.model, reason: `${strategy}: ${choice.reason}` };
  }

  /**
   * The largest single cost the gate would admit now across the budgets that apply: what
   * is still available, and below the per-call cap of a budget at RED or CRITICAL.
   */
  private async available(context?: CallContext): Promise<NanoUsd> {
    const now = this.settings.clock();
    const counters = this.counters.forCall(resolveContext(context), now);
    if (counters.length === 0) return Number.MAX_SAFE_INTEGER;
    const states = await this.store.readCounters(
      counters.map((c) => c.limit),
      now,
    );
    return Math.min(
      ...counters.map(({ budget, limit }, index) => {
        const state = states[index]!;
        const room = limit.capacity - state.committed - state.reserved;
        const cap =
          budget.perCallCapsNano[alertLevelFor(state.committed, budget.limitNano, budget.thresholds)];
        return cap === undefined ? room : Math.min(room, cap - 1);
      }),
    );
  }
}
