import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { ResolvedPrice } from '../catalog/model-price';
import { PriceCatalog, type UserPrice } from '../catalog/price-catalog';
import type { Cost } from '../cost/calculate-cost';
import { type PriceUsageRequest, priceUsage } from '../cost/price-usage';
import { BudgetExceededError } from '../errors/budget-exceeded-error';
import { StorageUnavailableError } from '../errors/storage-unavailable-error';
import { TollgateError } from '../errors/tollgate-error';
import {
  orDefault,
  validateArray,
  validateCount,
  validateDate,
  validateFunction,
  validateId,
  validateOneOf,
  validatePlainObject,
  validateQuantity,
} from '../errors/validation';
import { ValidationError } from '../errors/validation-error';
import {
  type Estimate,
  type EstimateRequest,
  estimateWithCatalog,
  type PromptTokenPricing,
} from '../estimate/estimate-cost';
import { type NanoUsd, nanoToUsd, usdToNano } from '../money/money';
import { type Breakdown, groupRollups } from '../report/breakdown';
import { projectPeriod } from '../report/projection';
import { buildRecommendations, type Recommendation } from '../report/recommendations';
import { type SavingsOpportunity, whatIfSavings } from '../report/what-if-savings';
import { COST_STRATEGIES, type CostStrategy, strategyForLevel } from '../strategy/cost-strategy';
import { ModelRegistry, type ModelRegistryEntry } from '../strategy/model-registry';
import { type ModelCandidate, rankCandidates } from '../strategy/rank-candidates';
import { MemoryStore } from '../store/memory-store';
import {
  type BudgetStore,
  type CommitRequest,
  type CommitResult,
  type CounterCharge,
  type CounterLimit,
  type CounterState,
  ROLLUP_DIMENSIONS,
  type RollupDimension,
  type ReserveResult,
  type RollupQuery,
  type UsageRecord,
} from '../store/store-contract';
import { SERVICE_TYPES, type ServiceType, type Usage, type UsageInput, toUsage } from '../usage';
import type { Admission, SettledCall, SettleInput } from './admission';
import { ALERT_LEVELS, type AlertLevel, alertLevelFor } from './alert-level';
import { type BudgetAlert, alertFor, alertsCrossed } from './alerts';
import { type BudgetConfig, DEFAULT_BUDGET, type NormalizedBudget, normalizeBudget } from './budget-config';
import type { BudgetStatus } from './budget-status';
import {
  type CallContext,
  currentContext,
  mergeContexts,
  runWithContext,
  scopesFor,
  validateContext,
} from './call-context';
import { DeadlineWatcher } from './deadline-watcher';
import { UsageBuffer, type UsageBufferOptions } from './usage-buffer';
import { daysRemaining } from './period';
import { PeriodCache } from './period-cache';
import { isValidTimeZone } from './period';

export interface CreateBudgetOptions {
  /** Where spend is kept. Default: a `MemoryStore` (lost when the process exits). */
  store?: BudgetStore;
  /** Default: one global budget of $30 a month. */
  budgets?: BudgetConfig[];
  /** The app's own prices, layered over tollgate's and the bundled catalog. */
  prices?: UserPrice[];
  catalog?: PriceCatalog;
  onAlert?: (alert: BudgetAlert) => void;
  /** How long a reservation holds budget if it is never settled (a crashed process). Default 10 minutes. */
  leaseMs?: number;
  /** Time zone of report days. Default `UTC`. */
  reportTimeZone?: string;
  /** The smallest output limit a clamp may leave; below it the call is refused. Default 16. */
  minOutputTokens?: number;
  /**
   * How prompt text that cannot be counted exactly here (Anthropic, Mistral) is priced by
   * estimates and reserved by the gate: `upper-bound` (default) holds what the text can cost
   * at most, so spend cannot pass a budget; `likely` holds the heuristic's guess, smaller, but
   * a text it under-counts can cost more than was held (recorded as an overrun).
   */
  promptTokens?: PromptTokenPricing;
  /** How long the gate waits for the store before refusing with `StorageUnavailableError`. Default 5 s. */
  admissionTimeoutMs?: number;
  /**
   * Usage of admitted calls that cannot be written while the store is unreachable
   * waits here (bounded, optionally spilled to a file) and is written on recovery.
   * Default: in memory. `false` makes recording fail instead.
   */
  usageBuffer?: UsageBufferOptions | false;
  /**
   * When the store is unreachable the gate refuses (fail closed, the default). With
   * `failOpen`, it admits calls up to `allowanceUsd` in total until the store answers again.
   */
  failOpen?: { allowanceUsd: number };
  /** Models the strategy selector may choose, with quality tiers; added to (or replacing) the defaults. */
  models?: ModelRegistryEntry[];
  /** Milliseconds since epoch; for tests. */
  clock?: () => number;
}

export interface BreakdownOptions {
  /** Dimensions to group by. Default `['provider']`. */
  by?: readonly RollupDimension[];
  /** First and last day (YYYY-MM-DD, or a Date read in the report time zone), inclusive. */
  from?: string | Date;
  to?: string | Date;
  /** When `from` is absent: this many days ending `to` (default 30). */
  days?: number;
  where?: RollupQuery['where'];
}

export interface SelectOptions {
  service: ServiceType;
  /** Default: the strategy of the current alert level. */
  strategy?: CostStrategy;
  providers?: readonly string[];
  minTier?: number;
  /** Tokens of this request (LLM and embeddings). Default 1,000 in and 500 out. */
  estimatedTokens?: number | { input: number; output?: number };
  audioSeconds?: number;
  characters?: number;
  context?: CallContext;
}

export interface GateRequest extends EstimateRequest {
  /** Explicit context; its values win over `withContext`. */
  context?: CallContext;
  requestId?: string;
  /** When the worst case does not fit: `throw` (default) or shrink the output limit (`clamp`, LLM calls only). */
  onInsufficientBudget?: 'throw' | 'clamp';
  minOutputTokens?: number;
}

export interface RecordUsageInput {
  provider: string;
  model: string;
  service?: ServiceType;
  usage: Usage | UsageInput;
  requestId?: string;
  context?: CallContext;
  estimated?: boolean;
  /** ms since epoch; default now. */
  timestamp?: number;
}

export interface GuardDescriptor extends GateRequest {}

/** What `guard`'s function may report back; the estimate is recorded when it reports nothing. */
export interface GuardReport {
  reportUsage(usage: Usage | UsageInput, options?: { requestId?: string; estimated?: boolean }): void;
}

export interface Affordability {
  readonly affordable: boolean;
  readonly reason?: string;
  readonly budgetId?: string;
  readonly alertLevel?: AlertLevel;
}

interface ApplicableCounter {
  budget: NormalizedBudget;
  limit: CounterLimit;
}

const DEFAULT_LEASE_MS = 10 * 60_000;
const MAX_CLAMP_ATTEMPTS = 3;
const FILTER_DIMENSIONS = ROLLUP_DIMENSIONS.filter((dimension) => dimension !== 'day') as Exclude<
  RollupDimension,
  'day'
>[];

/**
 * The budget manager: estimates, gates (reserve, clamp or refuse), records, reports
 * and raises alerts for every budget that applies to a call.
 */
export class BudgetManager extends EventEmitter<{ alert: [BudgetAlert] }> {
  readonly store: BudgetStore;
  readonly catalog: PriceCatalog;
  readonly budgets: readonly NormalizedBudget[];
  readonly reportTimeZone: string;
  private readonly leaseMs: number;
  private readonly minOutputTokens: number;
  private readonly promptTokens: PromptTokenPricing;
  private readonly admissionTimeoutMs: number;
  private readonly clock: () => number;
  private readonly periods = new PeriodCache();
  private readonly deadlines: DeadlineWatcher;
  private readonly usageBuffer: UsageBuffer | undefined;
  private readonly failOpenAllowance: NanoUsd;
  private failOpenUsed: NanoUsd = 0;
  readonly registry: ModelRegistry;

  constructor(options: CreateBudgetOptions = {}) {
    super();
    validatePlainObject(options, 'options');
    this.store = options.store === undefined ? new MemoryStore() : validateStore(options.store);
    if (options.prices !== undefined) validateArray(options.prices, 'prices');
    if (
      options.catalog !== undefined &&
      typeof (options.catalog as Partial<PriceCatalog>)?.resolve !== 'function'
    )
      throw new ValidationError({ field: 'catalog', message: 'must be a PriceCatalog' });
    this.catalog = options.catalog ?? new PriceCatalog(options.prices ? { prices: options.prices } : {});
    if (options.catalog && options.prices) for (const price of options.prices) this.catalog.setPrice(price);
    const configs = orDefault(options.budgets, [DEFAULT_BUDGET]);
    if (!Array.isArray(configs) || configs.length === 0)
      throw new ValidationError({ field: 'budgets', message: 'must be a non-empty array' });
    this.budgets = configs.map(normalizeBudget);
    const ids = new Set<string>();
    for (const budget of this.budgets) {
      if (ids.has(budget.id))
        throw new ValidationError({ field: 'budgets', message: `has two budgets with id "${budget.id}"` });
      ids.add(budget.id);
    }
    this.leaseMs = validateCount(orDefault(options.leaseMs, DEFAULT_LEASE_MS), 'leaseMs', 7 * 24 * 3_600_000);
    this.minOutputTokens = validateCount(orDefault(options.minOutputTokens, 16), 'minOutputTokens');
    this.promptTokens = validateOneOf(
      orDefault<unknown>(options.promptTokens, 'upper-bound'),
      'promptTokens',
      ['upper-bound', 'likely'] as const,
    );
    this.admissionTimeoutMs = validateCount(
      orDefault(options.admissionTimeoutMs, 5_000),
      'admissionTimeoutMs',
    );
    this.deadlines = new DeadlineWatcher(this.admissionTimeoutMs);
    this.reportTimeZone = orDefault(options.reportTimeZone, 'UTC');
    if (typeof this.reportTimeZone !== 'string' || !isValidTimeZone(this.reportTimeZone))
      throw new ValidationError({ field: 'reportTimeZone', message: 'must be an IANA time zone' });
    this.clock =
      options.clock === undefined ? Date.now : (validateFunction(options.clock, 'clock') as () => number);
    this.registry = new ModelRegistry(orDefault(options.models, []));
    this.failOpenAllowance =
      options.failOpen === undefined
        ? 0
        : usdToNano(
            validateQuantity(
              validatePlainObject(options.failOpen, 'failOpen').allowanceUsd,
              'failOpen.allowanceUsd',
              1_000_000,
            ),
          );
    if (options.onAlert !== undefined) validateFunction(options.onAlert, 'onAlert');
    this.usageBuffer =
      options.usageBuffer === false
        ? undefined
        : new UsageBuffer(
            // A buffered write waits no longer than a gated one, so a hanging store cannot hang flushUsage() or close().
            { commit: (request) => this.withTimeout(this.store.commit(request), 'commit') },
            validateUsageBufferOptions(options.usageBuffer),
            (request, result) => {
              if (result.recorded)
                this.raiseAlerts(
                  this.countersOfCharges(request.counters),
                  result.counters,
                  request.record.cost,
                );
            },
          );
    if (options.onAlert) {
      const onAlert = options.onAlert;
      this.on('alert', (alert) => onAlert(alert));
    }
  }

  /** Runs `fn` with a call context (user, project, tags, request type) that every wrapped call inside inherits. */
  withContext<T>(context: CallContext, fn: () => T): T {
    validateFunction(fn, 'fn');
    return runWithContext(context, fn);
  }

  now(): number {
    return this.clock();
  }

  estimate(request: EstimateRequest): Estimate {
    validatePlainObject(request, 'request');
    return estimateWithCatalog(this.catalog, request, new Date(this.clock()), this.promptTokens);
  }

  /**
   * Reserves the worst-case cost of a call against every budget that applies, all or
   * nothing. When it does not fit, refuses with `BudgetExceededError`, or for an LLM
   * call with `onInsufficientBudget: 'clamp'` shrinks the output limit to what fits.
   */
  async gate(request: GateRequest): Promise<Admission> {
    validatePlainObject(request, 'request');
    // The gate prices at its own clock; a given `at` is still checked rather than ignored blindly.
    if (request.at !== undefined) validateDate(request.at, 'at');
    const context = this.resolveContext(request.context);
    const reservationId = randomUUID();
    const requestId =
      request.requestId === undefined ? reservationId : validateId(request.requestId, 'requestId');
    const mode = validateOneOf(
      orDefault<unknown>(request.onInsufficientBudget, 'throw'),
      'onInsufficientBudget',
      ['throw', 'clamp'] as const,
    );
    const minOutput =
      request.minOutputTokens === undefined
        ? this.minOutputTokens
        : validateCount(request.minOutputTokens, 'minOutputTokens');
    const now = this.clock();
    let estimate = estimateWithCatalog(this.catalog, request, new Date(now), this.promptTokens);
    const counters = this.applicableCounters(context, now);
    if (counters.length === 0 || estimate.cost === 0) {
      return this.admission({
        requestId,
        reservationId,
        estimate,
        reserved: 0,
        counters,
        context,
        clamped: false,
      });
    }
    let clamped = false;
    for (let attempt = 0; ; attempt++) {
      let result: ReserveResult;
      try {
        result = await this.withTimeout(
          this.store.reserve({
            reservationId,
            amount: estimate.cost,
            counters: counters.map((c) => c.limit),
            leaseMs: this.leaseMs,
            now,
          }),
          'reserve',
        );
        this.failOpenUsed = 0;
      } catch (error) {
        if (
          !StorageUnavailableError.isInstance(error) ||
          this.failOpenUsed + estimate.cost > this.failOpenAllowance
        )
          throw error;
        this.failOpenUsed += estimate.cost;
        return this.admission({
          requestId,
          reservationId,
          estimate,
          reserved: estimate.cost,
          counters,
          context,
          clamped,
          failOpen: true,
        });
      }
      if (result.ok) {
        const capped = this.perCallCapViolation(counters, result.counters, estimate.cost);
        if (!capped) {
          return this.admission({
            requestId,
            reservationId,
            estimate,
            reserved: estimate.cost,
            counters,
            context,
            clamped,
          });
        }
        await this.withTimeout(this.store.release(reservationId, now), 'release');
        const smaller =
          mode === 'clamp' && attempt < MAX_CLAMP_ATTEMPTS
            ? this.clampTo(estimate, capped.cap - 1, minOutput)
            : undefined;
        if (!smaller) throw capped.error;
        estimate = smaller;
        clamped = true;
        continue;
      }
      const refused = counters.find(
        (c) => c.limit.budgetId === result.refusedBy.budgetId && c.limit.scope === result.refusedBy.scope,
      )!;
      const smaller =
        mode === 'clamp' && attempt < MAX_CLAMP_ATTEMPTS
          ? this.clampTo(estimate, result.available, minOutput)
          : undefined;
      if (!smaller) {
        const used = refused.limit.capacity - result.available;
        throw new BudgetExceededError({
          budgetId: refused.budget.id,
          scopeKey: refused.limit.scope,
          needed: estimate.cost,
          available: result.available,
          alertLevel: alertLevelFor(used, refused.budget.limit, refused.budget.thresholds),
          reason: result.available <= 0 ? 'over-budget' : 'insufficient-remaining',
        });
      }
      estimate = smaller;
      clamped = true;
    }
  }

  /**
   * Gates any async call that has no adapter (a speech API, a provider's REST API):
   * reserve from the descriptor's estimate, run `fn`, settle from the usage it reports
   * (or from the estimate when it reports none), release on error.
   */
  async guard<T>(descriptor: GuardDescriptor, fn: (report: GuardReport) => Promise<T>): Promise<T> {
    validateFunction(fn, 'fn');
    const admission = await this.gate(descriptor);
    let reported: SettleInput | undefined;
    const report: GuardReport = {
      // Checked here, so that bad usage fails inside `fn` (and the hold is given back), not after it.
      reportUsage: (usage, options = {}) => {
        validatePlainObject(options, 'options');
        reported = {
          usage: toUsage(usage, 'usage'),
          ...(options.requestId === undefined
            ? {}
            : { requestId: validateId(options.requestId, 'options.requestId') }),
          ...(options.estimated ? { estimated: true } : {}),
        };
      },
    };
    let result: T;
    try {
      result = await fn(report);
    } catch (error) {
      // The hold ends with its lease if the store is down: the caller needs its own error, not the store's.
      await admission.release().catch(() => {});
      throw error;
    }
    await admission.settle(reported ?? { usage: admission.estimate.usage, estimated: true });
    return result;
  }

  /** Records a call that was not gated (the original `recordUsage`). Idempotent by request id. */
  async recordUsage(input: RecordUsageInput): Promise<SettledCall> {
    validatePlainObject(input, 'input');
    const context = this.resolveContext(input.context);
    const usage = toUsage(input.usage, 'usage');
    const now =
      input.timestamp === undefined ? this.clock() : validateCount(input.timestamp, 'timestamp', 8.64e15);
    const provider = validateId(input.provider, 'provider');
    const model = validateId(input.model, 'model');
    const service =
      input.service === undefined ? undefined : validateOneOf(input.service, 'service', SERVICE_TYPES);
    const requestId = input.requestId === undefined ? randomUUID() : validateId(input.requestId, 'requestId');
    const counters = this.applicableCounters(context, now);
    return this.commit({
      provider,
      model,
      service,
      usage,
      estimated: input.estimated === true,
      requestId,
      context,
      counters,
      reserved: 0,
      now,
    });
  }

  /** Status of every budget that applies to the context (global budgets always). */
  async status(context?: CallContext): Promise<BudgetStatus[]> {
    const resolved = this.resolveContext(context);
    const now = this.clock();
    const counters = this.countersForStatus(resolved, now);
    const states = await this.withTimeout(
      this.store.readCounters(
        counters.map((c) => c.limit),
        now,
      ),
      'read',
    );
    return Promise.all(counters.map((counter, index) => this.statusOf(counter, states[index]!, now)));
  }

  /** Alerts for the current state (the original `check_alerts`): ORANGE → info, RED → warning, CRITICAL → critical. */
  async checkAlerts(context?: CallContext): Promise<BudgetAlert[]> {
    const statuses = await this.status(context);
    const alerts: BudgetAlert[] = [];
    for (const status of statuses) {
      const budget = this.budgets.find((b) => b.id === status.budgetId)!;
      const alert = alertFor(budget, status.scope, status.periodKey, status.alertLevel, status.nano.used);
      if (alert) alerts.push(alert);
    }
    return alerts;
  }

  /** Whether a cost fits every applicable budget now, by the original rules (buffer, per-call caps). */
  async canAfford(cost: number | EstimateRequest, context?: CallContext): Promise<Affordability> {
    const amount =
      typeof cost === 'number' ? usdToNano(validateQuantity(cost, 'cost')) : this.estimate(cost).cost;
    const resolved = this.resolveContext(context);
    const now = this.clock();
    const counters = this.applicableCounters(resolved, now);
    const states = await this.withTimeout(
      this.store.readCounters(
        counters.map((c) => c.limit),
        now,
      ),
      'read',
    );
    for (const [index, { budget, limit }] of counters.entries()) {
      const state = states[index]!;
      const level = alertLevelFor(state.committed, budget.limit, budget.thresholds);
      const available = limit.capacity - state.committed - state.reserved;
      if (amount > available) {
        return {
          affordable: false,
          budgetId: budget.id,
          alertLevel: level,
          reason: `needs ${nanoToUsd(amount)} USD, ${nanoToUsd(Math.max(0, available))} USD available`,
        };
      }
      const cap = budget.perCallCaps[level];
      if (cap !== undefined && amount >= cap) {
        return {
          affordable: false,
          budgetId: budget.id,
          alertLevel: level,
          reason: `at ${level} a call must cost less than ${nanoToUsd(cap)} USD`,
        };
      }
    }
    return { affordable: true };
  }

  /**
   * Spend grouped by any combination of provider, model, service, day, request type,
   * user and project, from the daily rollups (never a scan of records). The original
   * views are one call each: `{ by: ['provider'] }`, `{ by: ['day'] }`, `{ by: ['requestType'] }`.
   */
  async breakdown(options: BreakdownOptions = {}): Promise<Breakdown> {
    validatePlainObject(options, 'options');
    const by = (options.by === undefined ? ['provider'] : validateArray(options.by, 'by')).map(
      (dimension, index) => validateOneOf(dimension, `by[${index}]`, ROLLUP_DIMENSIONS),
    );
    const { fromDay, toDay } = this.dayRange(options);
    const where: NonNullable<RollupQuery['where']> = {};
    const filters = options.where === undefined ? {} : validatePlainObject(options.where, 'where');
    for (const [dimension, value] of Object.entries(filters)) {
      const checked = validateOneOf(dimension, 'where', FILTER_DIMENSIONS);
      where[checked] = validateId(value, `where.${dimension}`);
    }
    const rows = await this.withTimeout(this.store.queryRollups({ fromDay, toDay, where }), 'report');
    return groupRollups(rows, by, fromDay, toDay);
  }

  /** Replays the last `days` days of usage on cheaper models of the same service and tier (and one tier down). */
  async whatIfSavings(options: { days?: number } = {}): Promise<SavingsOpportunity[]> {
    validatePlainObject(options, 'options');
    const days = validateCount(orDefault(options.days, 30), 'days', 3660) || 30;
    const { fromDay, toDay } = this.dayRange({ days });
    const rows = await this.withTimeout(this.store.queryRollups({ fromDay, toDay }), 'report');
    return whatIfSavings({
      rows,
      registry: this.registry,
      catalog: this.catalog,
      days,
      at: new Date(this.clock()),
    });
  }

  async recommendations(options: { days?: number; context?: CallContext } = {}): Promise<Recommendation[]> {
    validatePlainObject(options, 'options');
    const days = validateCount(orDefault(options.days, 30), 'days', 3660) || 30;
    const [statuses, providers, savings] = await Promise.all([
      this.status(options.context),
      this.breakdown({ by: ['provider'], days }),
      this.whatIfSavings({ days }),
    ]);
    return buildRecommendations({ statuses, providers, savings });
  }

  /** The cost strategy for the most severe alert level among the budgets that apply. */
  async strategy(context?: CallContext): Promise<CostStrategy> {
    // Only the budgets a call in this context is charged to: a budget pinned to another
    // user or project shows in `status()` but must not set this call's strategy.
    const now = this.clock();
    const counters = this.applicableCounters(this.resolveContext(context), now);
    const states = await this.withTimeout(
      this.store.readCounters(
        counters.map((c) => c.limit),
        now,
      ),
      'read',
    );
    let level: AlertLevel = 'GREEN';
    for (const [index, { budget }] of counters.entries()) {
      const current = alertLevelFor(states[index]!.committed, budget.limit, budget.thresholds);
      if (ALERT_LEVELS.indexOf(current) > ALERT_LEVELS.indexOf(level)) level = current;
    }
    return strategyForLevel(level);
  }

  /** Ranked models for a request under a strategy, each with this request's estimated cost and the reason. */
  async select(options: SelectOptions): Promise<ModelCandidate[]> {
    validatePlainObject(options, 'options');
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
    const entries = this.registry
      .list(service)
      .filter(
        (entry) => entry.tier >= minTier && (providers === undefined || providers.includes(entry.provider)),
      );
    const priced = entries.map((entry) => ({
      ...entry,
      estimatedCost: this.estimate(this.referenceRequest(entry, options)).cost,
    }));
    const available = await this.available(options.context);
    return rankCandidates(priced, strategy, available);
  }

  /**
   * A cheaper model of the same provider and service when the current strategy calls
   * for one (adapters use this for `downgrade: true`); undefined under QUALITY_FIRST
   * or when the model is already the cheapest choice.
   */
  async downgradeFor(request: {
    provider: string;
    service?: ServiceType;
    model: string;
    context?: CallContext;
  }): Promise<{ model: string; reason: string } | undefined> {
    validatePlainObject(request, 'request');
    // Checked before the strategy is known, so that a bad request is refused at every alert level.
    const provider = validateId(request.provider, 'provider');
    const model = validateId(request.model, 'model');
    if (request.service !== undefined) validateOneOf(request.service, 'service', SERVICE_TYPES);
    const strategy = await this.strategy(request.context);
    if (strategy === 'QUALITY_FIRST') return undefined;
    const service = request.service ?? this.catalog.resolve(provider, model)?.service ?? 'llm';
    const current =
      this.registry.find(provider, model) ??
      this.registry.find(provider, this.catalog.resolve(provider, model)?.model ?? model);
    const currentCost = this.estimate(this.referenceRequest({ provider, model, service }, { service })).cost;
    const minTier = strategy === 'BALANCED' && current ? current.tier - 1 : 1;
    const candidates = await this.select({
      service,
      strategy,
      providers: [provider],
      minTier,
      ...(request.context ? { context: request.context } : {}),
    });
    const choice = candidates.find(
      (candidate) => candidate.model !== model && candidate.estimatedCost < currentCost,
    );
    if (!choice) return undefined;
    return { model: choice.model, reason: `${strategy}: ${choice.reason}` };
  }

  /** Writes what usage it can, stops retrying, and closes the store. */
  async close(): Promise<void> {
    if (this.usageBuffer) {
      await this.usageBuffer.flush();
      this.usageBuffer.stop();
    }
    await this.store.close();
  }

  private referenceRequest(
    entry: { provider: string; model: string; service: ServiceType },
    options: Partial<SelectOptions>,
  ): EstimateRequest {
    const tokens = options.estimatedTokens ?? { input: 1_000, output: 500 };
    const input = typeof tokens === 'number' ? tokens : tokens.input;
    const output = typeof tokens === 'number' ? 500 : (tokens.output ?? 500);
    // The default token counts describe an LLM or embedding request: speech has no text prompt unless given.
    const textTokens =
      entry.service === 'llm' || entry.service === 'embedding' || options.estimatedTokens !== undefined;
    return {
      provider: entry.provider,
      model: entry.model,
      service: entry.service,
      inputTokens: textTokens ? input : 0,
      maxOutputTokens: output,
      audioSeconds: options.audioSeconds ?? 60,
      characters: options.characters ?? 1_000,
    };
  }

  /**
   * The largest single cost the gate would admit now across the budgets that apply: what
   * is still available, and below the per-call cap of a budget at RED or CRITICAL.
   */
  private async available(context?: CallContext): Promise<NanoUsd> {
    const now = this.clock();
    const counters = this.applicableCounters(this.resolveContext(context), now);
    if (counters.length === 0) return Number.MAX_SAFE_INTEGER;
    const states = await this.withTimeout(
      this.store.readCounters(
        counters.map((c) => c.limit),
        now,
      ),
      'read',
    );
    return Math.min(
      ...counters.map(({ budget, limit }, index) => {
        const state = states[index]!;
        const room = limit.capacity - state.committed - state.reserved;
        const cap = budget.perCallCaps[alertLevelFor(state.committed, budget.limit, budget.thresholds)];
        return cap === undefined ? room : Math.min(room, cap - 1);
      }),
    );
  }

  private dayRange(options: Pick<BreakdownOptions, 'from' | 'to' | 'days'>): {
    fromDay: string;
    toDay: string;
  } {
    const toDay =
      options.to === undefined
        ? this.periods.day(this.reportTimeZone, this.clock())
        : this.dayOf(options.to, 'to');
    if (options.from !== undefined) {
      const fromDay = this.dayOf(options.from, 'from');
      if (fromDay > toDay)
        throw new ValidationError({ field: 'from', message: `must not be after ${toDay}` });
      return { fromDay, toDay };
    }
    const days = validateCount(orDefault(options.days, 30), 'days', 3660) || 30;
    const start = new Date(`${toDay}T12:00:00Z`);
    start.setUTCDate(start.getUTCDate() - (days - 1));
    return { fromDay: start.toISOString().slice(0, 10), toDay };
  }

  private dayOf(value: string | Date, field: string): string {
    if (value instanceof Date)
      return this.periods.day(this.reportTimeZone, validateDate(value, field).getTime());
    // The pattern alone lets days that do not exist through (2026-02-30, 2026-13-45).
    const time =
      typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? Date.parse(`${value}T00:00:00Z`)
        : Number.NaN;
    if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value)
      throw new ValidationError({ field, message: 'must be a Date or a YYYY-MM-DD day' });
    return value;
  }

  private resolveContext(explicit: CallContext | undefined): CallContext {
    const ambient = currentContext();
    return explicit === undefined ? ambient : mergeContexts(ambient, validateContext(explicit));
  }

  private applicableCounters(context: CallContext, now: number): ApplicableCounter[] {
    const counters: ApplicableCounter[] = [];
    for (const budget of this.budgets) {
      const window = this.periods.window(budget.period, budget.timeZone, now);
      for (const scope of scopesFor(budget, context)) {
        counters.push({
          budget,
          limit: {
            budgetId: budget.id,
            scope,
            period: window.key,
            capacity: budget.limit - budget.buffer,
            periodEnd: window.end ? window.end.getTime() : Number.MAX_SAFE_INTEGER,
          },
        });
      }
    }
    return counters;
  }

  /** Budgets pinned to a scope value report even without a matching context. */
  private countersForStatus(context: CallContext, now: number): ApplicableCounter[] {
    const counters = this.applicableCounters(context, now);
    for (const budget of this.budgets) {
      if (budget.scopeValue === undefined || counters.some((c) => c.budget === budget)) continue;
      const window = this.periods.window(budget.period, budget.timeZone, now);
      counters.push({
        budget,
        limit: {
          budgetId: budget.id,
          scope: `${budget.scope}:${budget.scopeValue}`,
          period: window.key,
          capacity: budget.limit - budget.buffer,
          periodEnd: window.end ? window.end.getTime() : Number.MAX_SAFE_INTEGER,
        },
      });
    }
    return counters;
  }

  private perCallCapViolation(
    counters: ApplicableCounter[],
    states: readonly CounterState[],
    amount: NanoUsd,
  ) {
    for (const [index, { budget, limit }] of counters.entries()) {
      const committed = states[index]?.committed ?? 0;
      const level = alertLevelFor(committed, budget.limit, budget.thresholds);
      const cap = budget.perCallCaps[level];
      if (cap !== undefined && amount >= cap) {
        return {
          cap,
          error: new BudgetExceededError({
            budgetId: budget.id,
            scopeKey: limit.scope,
            needed: amount,
            available: cap,
            alertLevel: level,
            reason: 'per-call-cap',
          }),
        };
      }
    }
    return undefined;
  }

  /** The estimate with the largest output limit whose cost fits `available`, or undefined below the minimum. */
  private clampTo(estimate: Estimate, available: NanoUsd, minOutputTokens: number): Estimate | undefined {
    if (estimate.serviceType !== 'llm' || available <= 0) return undefined;
    const base = {
      provider: estimate.provider,
      model: estimate.model,
      service: estimate.serviceType,
      inputTokens: estimate.inputTokens,
      at: new Date(this.clock()),
    };
    const costWith = (outputTokens: number): Estimate => ({
      ...this.estimate({ ...base, maxOutputTokens: outputTokens }),
      likelyInputTokens: estimate.likelyInputTokens,
    });
    let low = minOutputTokens;
    let high = estimate.outputTokens - 1;
    if (high < low || costWith(low).cost > available) return undefined;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (costWith(middle).cost <= available) low = middle;
      else high = middle - 1;
    }
    return costWith(low);
  }

  private admission(input: {
    requestId: string;
    reservationId: string;
    estimate: Estimate;
    reserved: NanoUsd;
    counters: ApplicableCounter[];
    context: CallContext;
    clamped: boolean;
    failOpen?: boolean;
  }): Admission {
    let settled: Promise<SettledCall> | undefined;
    let released: Promise<void> | undefined;
    const { estimate } = input;
    return {
      requestId: input.requestId,
      reservationId: input.reservationId,
      estimate,
      reserved: input.reserved,
      clamped: input.clamped,
      failOpen: input.failOpen === true,
      context: input.context,
      ...(input.clamped ? { maxOutputTokens: estimate.outputTokens } : {}),
      settle: (settleInput) => {
        if (settled) return settled;
        // Checked before anything is committed: a refused settle leaves the admission open to settle or release.
        let checked: { model: string; usage: Usage; requestId: string };
        try {
          validatePlainObject(settleInput, 'input');
          checked = {
            model: settleInput.model === undefined ? estimate.model : validateId(settleInput.model, 'model'),
            usage: toUsage(settleInput.usage, 'usage', { usageOnly: true }),
            requestId:
              settleInput.requestId === undefined
                ? input.requestId
                : validateId(settleInput.requestId, 'requestId'),
          };
        } catch (error) {
          return Promise.reject(error);
        }
        settled = this.commit({
          provider: estimate.provider,
          model: checked.model,
          service: estimate.serviceType,
          usage: checked.usage,
          estimated: settleInput.estimated === true,
          requestId: checked.requestId,
          context: input.context,
          counters: input.counters,
          reserved: input.reserved,
          reservationId: input.reservationId,
          ...(estimate.resolved && (settleInput.model === undefined || settleInput.model === estimate.model)
            ? { resolved: estimate.resolved }
            : {}),
          now: this.clock(),
        });
        return settled;
      },
      release: () => {
        if (settled || input.reserved === 0) return Promise.resolve();
        released ??= this.withTimeout(this.store.release(input.reservationId, this.clock()), 'release');
        return released;
      },
    };
  }

  private async commit(input: {
    provider: string;
    model: string;
    service: ServiceType | undefined;
    usage: Usage;
    estimated: boolean;
    requestId: string;
    context: CallContext;
    counters: ApplicableCounter[];
    reserved: NanoUsd;
    reservationId?: string;
    resolved?: ResolvedPrice;
    now: number;
  }): Promise<SettledCall> {
    // Built field by field: this is the hot path of every call, and spreads of optional fields cost more than the pricing.
    const priceRequest: PriceUsageRequest = {
      provider: input.provider,
      model: input.model,
      usage: input.usage,
    };
    if (input.service) priceRequest.service = input.service;
    if (input.resolved) priceRequest.resolved = input.resolved;
    else priceRequest.at = new Date(input.now);
    const cost = priceUsage(this.catalog, priceRequest);
    const record = this.recordOf(input, cost);
    const charges: CounterCharge[] = input.counters.map(({ budget, limit }) => ({
      budgetId: limit.budgetId,
      scope: limit.scope,
      period: limit.period,
      day: this.periods.day(budget.timeZone, input.now),
    }));
    const request: CommitRequest =
      input.reservationId === undefined
        ? { record, counters: charges, now: input.now }
        : { reservationId: input.reservationId, record, counters: charges, now: input.now };
    let result: CommitResult;
    try {
      result = await this.withTimeout(this.store.commit(request), 'commit');
      this.failOpenUsed = 0;
    } catch (error) {
      if (!this.usageBuffer || !StorageUnavailableError.isInstance(error)) throw error;
      this.usageBuffer.add(request);
      return { cost, record, recorded: false, buffered: true };
    }
    if (result.recorded) this.raiseAlerts(input.counters, result.counters, cost.total);
    return { cost, record, recorded: result.recorded, buffered: false };
  }

  /** Usage records waiting for the store to come back. */
  get pendingUsage(): number {
    return this.usageBuffer?.size ?? 0;
  }

  /** Writes buffered usage now; resolves to how many records still wait. */
  flushUsage(): Promise<number> {
    return this.usageBuffer?.flush() ?? Promise.resolve(0);
  }

  private countersOfCharges(charges: readonly CounterCharge[]): ApplicableCounter[] {
    const counters: ApplicableCounter[] = [];
    for (const charge of charges) {
      const budget = this.budgets.find((candidate) => candidate.id === charge.budgetId);
      if (budget)
        counters.push({ budget, limit: { ...charge, capacity: budget.limit - budget.buffer, periodEnd: 0 } });
    }
    return counters;
  }

  private recordOf(
    input: {
      provider: string;
      model: string;
      service: ServiceType | undefined;
      usage: Usage;
      estimated: boolean;
      requestId: string;
      context: CallContext;
      reserved: NanoUsd;
      now: number;
    },
    cost: Cost,
  ): UsageRecord {
    const { usage, context } = input;
    const record: { -readonly [K in keyof UsageRecord]: UsageRecord[K] } = {
      requestId: input.requestId,
      timestamp: input.now,
      day: this.periods.day(this.reportTimeZone, input.now),
      provider: input.provider,
      model: cost.model,
      service: input.service ?? cost.service,
      requestType: context.requestType ?? 'default',
      tags: context.tags ?? [],
      cost: cost.total,
      reserved: input.reserved,
      overrun: input.reserved > 0 ? Math.max(0, cost.total - input.reserved) : 0,
      estimated: input.estimated,
      priceSource: cost.source,
      inputTokens: usage.input.total,
      cacheReadTokens: usage.input.cacheRead,
      cacheWriteTokens: usage.input.cacheWrite,
      outputTokens: usage.output.total,
      reasoningTokens: usage.output.reasoning,
      audioMilliseconds: Math.round(usage.audioSeconds * 1000),
      characters: usage.characters,
      images: usage.images,
      pages: usage.pages,
    };
    if (context.userId !== undefined) record.userId = context.userId;
    if (context.projectId !== undefined) record.projectId = context.projectId;
    return record;
  }

  private raiseAlerts(counters: ApplicableCounter[], states: readonly CounterState[], cost: NanoUsd): void {
    if (cost === 0) return;
    for (let index = 0; index < counters.length; index++) {
      const { budget, limit } = counters[index]!;
      const state = states[index];
      if (!state) continue;
      for (const alert of alertsCrossed(budget, limit.scope, limit.period, state.committed, cost)) {
        try {
          this.emit('alert', alert);
        } catch {
          // A failing alert listener must not turn a recorded call into an error.
        }
      }
    }
  }

  private async statusOf(
    counter: ApplicableCounter,
    state: CounterState,
    now: number,
  ): Promise<BudgetStatus> {
    const { budget, limit } = counter;
    const window = this.periods.window(budget.period, budget.timeZone, now);
    const used = state.committed;
    const remaining = Math.max(0, budget.limit - used);
    const dailySpend =
      budget.period === 'day' || budget.period === 'total'
        ? []
        : await this.withTimeout(
            this.store.readDailySpend({
              budgetId: budget.id,
              scope: limit.scope,
              fromDay: this.periods.day(budget.timeZone, window.start.getTime()),
              toDay: this.periods.day(budget.timeZone, now),
            }),
            'read',
          );
    const projection = projectPeriod({
      period: budget.period,
      window,
      timeZone: budget.timeZone,
      now: new Date(now),
      used,
      dailySpend,
    });
    return {
      budgetId: budget.id,
      scope: limit.scope,
      period: budget.period,
      periodKey: window.key,
      timeZone: budget.timeZone,
      total: nanoToUsd(budget.limit),
      used: nanoToUsd(used),
      remaining: nanoToUsd(remaining),
      percentageUsed: budget.limit > 0 ? (used / budget.limit) * 100 : used > 0 ? 100 : 0,
      alertLevel: alertLevelFor(used, budget.limit, budget.thresholds),
      daysRemaining: daysRemaining(window, budget.timeZone, new Date(now)),
      projectedCost: nanoToUsd(projection.projected),
      overBudget: used > budget.limit,
      reserved: nanoToUsd(state.reserved),
      projection,
      nano: {
        limit: budget.limit,
        used,
        remaining,
        reserved: state.reserved,
        projected: projection.projected,
      },
    };
  }

  private async withTimeout<T>(operation: Promise<T>, what: string): Promise<T> {
    try {
      return await this.deadlines.watch(
        operation,
        () =>
          new StorageUnavailableError(
            `The budget store did not answer the ${what} within ${this.admissionTimeoutMs} ms.`,
          ),
      );
    } catch (error) {
      if (TollgateError.isInstance(error)) throw error;
      throw new StorageUnavailableError(`The budget store failed during ${what}.`, { cause: error });
    }
  }
}

const STORE_METHODS = [
  'reserve',
  'commit',
  'release',
  'readCounters',
  'readDailySpend',
  'queryRollups',
  'getRecord',
  'close',
] as const;

/** Duck-typed (a store from another copy of core is fine), but a store in name only fails here, not on the first call. */
function validateStore(store: unknown): BudgetStore {
  const candidate = validatePlainObject(store, 'store') as Partial<BudgetStore>;
  if (candidate.specificationVersion !== 'v1')
    throw new ValidationError({ field: 'store.specificationVersion', message: 'must be "v1"' });
  for (const method of STORE_METHODS) validateFunction(candidate[method], `store.${method}`);
  return candidate as BudgetStore;
}

function validateUsageBufferOptions(options: unknown): UsageBufferOptions {
  if (options === undefined) return {};
  const given = validatePlainObject(options, 'usageBuffer');
  if (
    given.path !== undefined &&
    (typeof given.path !== 'string' || given.path.length === 0 || given.path.includes('\u0000'))
  )
    throw new ValidationError({ field: 'usageBuffer.path', message: 'must be a file path' });
  for (const field of ['maxEntries', 'retryIntervalMs'] as const) {
    if (given[field] !== undefined && validateCount(given[field], `usageBuffer.${field}`) < 1)
      throw new ValidationError({ field: `usageBuffer.${field}`, message: 'must be at least 1' });
  }
  return given as UsageBufferOptions;
}

function validateSelectAmounts(options: SelectOptions): void {
  const tokens = options.estimatedTokens;
  if (typeof tokens === 'number') validateCount(tokens, 'estimatedTokens');
  else if (tokens !== undefined) {
    const given = validatePlainObject(tokens, 'estimatedTokens');
    validateCount(given.input, 'estimatedTokens.input');
    if (given.output !== undefined) validateCount(given.output, 'estimatedTokens.output');
  }
  if (options.audioSeconds !== undefined) validateQuantity(options.audioSeconds, 'audioSeconds', 1e7);
  if (options.characters !== undefined) validateCount(options.characters, 'characters');
}

export function createBudget(options: CreateBudgetOptions = {}): BudgetManager {
  return new BudgetManager(options);
}
