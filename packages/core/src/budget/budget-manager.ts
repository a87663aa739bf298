import { EventEmitter } from 'node:events';
import type { Admission } from '../admission/admission';
import { estimateCall } from '../admission/estimate-call';
import { FailOpenAllowance } from '../admission/fail-open-allowance';
import { Gate, type GateRequest } from '../admission/gate';
import { type GuardDescriptor, type GuardReport, guardCall } from '../admission/guard';
import type { BudgetAlert } from '../alerts/budget-alert';
import { currentAlerts } from '../alerts/current-alerts';
import type { PriceCatalog } from '../catalog/price-catalog';
import { PriceUpdater, type PriceUpdates } from '../catalog/price-updater';
import type { NormalizedBudget } from '../config/budget-config';
import {
  type BudgetSettings,
  type CreateBudgetOptions,
  resolveBudgetSettings,
} from '../config/budget-settings';
import { validateFunction } from '../errors/validation';
import { ValidationError } from '../errors/validation-error';
import type { Estimate, EstimateRequest } from '../estimate/estimate-cost';
import type { Breakdown } from '../report/breakdown';
import { type BreakdownOptions, BudgetReports, type WhatIfSavingsOptions } from '../report/budget-reports';
import type { Recommendation } from '../report/recommendations';
import type { SavingsOpportunity } from '../report/what-if-savings';
import { type RecordPage, type RecordsOptions, readRecords } from '../records/read-records';
import { type RecordUsageInput, recordUsage } from '../settlement/record-usage';
import type { SettledCall } from '../settlement/settled-call';
import { BackgroundSettlements } from '../settlement/background-settlements';
import { type OpenStream, OpenStreams } from '../settlement/open-streams';
import { closedError } from './closed-budget-error';
import { Settlement } from '../settlement/settlement';
import type { UsageBuffer } from '../settlement/usage-buffer';
import { alertingUsageBuffer } from '../settlement/alerting-usage-buffer';
import { type Affordability, canAfford } from '../status/can-afford';
import type { BudgetStatus } from '../status/budget-status';
import { BudgetStatusReader } from '../status/budget-status-reader';
import { type ScopeStatusOptions, type ScopeStatusPage, scopeStatuses } from '../status/scope-statuses';
import { boundedBudgetStore } from '../store/bounded-budget-store';
import { BoundedStore } from '../store/bounded-store';
import { LeasedStore } from '../leases/leased-store';
import { hookLeasesAtExit, type LeasesAtExit } from '../leases/leases-at-exit';
import type { BudgetStore } from '../store/store-contract';
import type { CostStrategy } from '../strategy/cost-strategy';
import type { ModelRegistry } from '../strategy/model-registry';
import type { ModelCandidate } from '../strategy/rank-candidates';
import type { SelectOptions } from '../strategy/reference-request';
import { StrategySelector } from '../strategy/strategy-selector';
import type { ServiceType } from '../usage';
import { CallWarnings } from '../warnings/call-warnings';
import type { WarningChannel } from '../warnings/warning-channel';
import { BudgetCounters } from './budget-counters';
import { BudgetDefinitionSaver } from './budget-definition-saver';
import { type CallContext, resolveContext, runWithContext } from './call-context';
import { PeriodCache } from './period-cache';

export type { Affordability } from '../status/can-afford';
export type { BreakdownOptions, WhatIfSavingsOptions } from '../report/budget-reports';
export type { CreateBudgetOptions } from '../config/budget-settings';
export type { GateRequest } from '../admission/gate';
export type { GuardDescriptor, GuardReport } from '../admission/guard';
export type { RecordFilterField, RecordPage, RecordsOptions } from '../records/read-records';
export type { RecordUsageInput } from '../settlement/record-usage';
export type { ScopeStatusOptions, ScopeStatusPage } from '../status/scope-statuses';
export type { SelectOptions } from '../strategy/reference-request';

/**
 * The budget manager: estimates, gates (reserve, clamp or refuse), records, reports
 * and raises alerts for every budget that applies to a call. A facade: each concept
 * lives in its own part (see the package README, "Architecture").
 */
export class BudgetManager extends EventEmitter<{ alert: [BudgetAlert] }> {
  readonly store: BudgetStore;
  readonly catalog: PriceCatalog;
  readonly budgets: readonly NormalizedBudget[];
  readonly reportTimeZone: string;
  readonly registry: ModelRegistry;
  /**
   * Where this budget's warnings go (`onWarning`, `strict`): `warn(code, subject, message)`
   * once per code and subject, thrown when strict; `report(...)` every time, never thrown.
   * Adapters raise theirs here.
   */
  readonly warnings: WarningChannel;
  /**
   * The background updates of the genai-prices data (`prices.update`), or `undefined` without
   * them: `refresh()` fetches now, `settled()` waits for the fetch under way.
   */
  readonly priceUpdates: PriceUpdates | undefined;
  private readonly priceUpdater: PriceUpdater | undefined;
  private readonly settings: BudgetSettings;
  private readonly boundedStore: BoundedStore;
  private readonly counters: BudgetCounters;
  private readonly usageBuffer: UsageBuffer | undefined;
  private readonly leasedStore: LeasedStore | undefined;
  private readonly leasesAtExit: LeasesAtExit | undefined;
  private readonly backgroundSettlements = new BackgroundSettlements();
  private readonly openStreams = new OpenStreams();
  private readonly admissionGate: Gate;
  private readonly callWarnings: CallWarnings;
  private readonly settlement: Settlement;
  private readonly statusReader: BudgetStatusReader;
  private readonly reports: BudgetReports;
  private readonly strategies: StrategySelector;
  private readonly definitions: BudgetDefinitionSaver;
  /** Set by `close()`: no call is gated or recorded after it (what was admitted still settles). */
  private closed = false;

  constructor(options: CreateBudgetOptions = {}) {
    super();
    const settings = resolveBudgetSettings(options);
    this.settings = settings;
    this.store = settings.store;
    this.catalog = settings.catalog;
    this.budgets = settings.budgets;
    this.reportTimeZone = settings.reportTimeZone;
    this.registry = settings.registry;
    this.warnings = settings.warnings;

    const periods = new PeriodCache();
    this.leasedStore = settings.leases
      ? new LeasedStore(
          // What the leases send to the store in the background is bounded like the gate's calls.
          boundedBudgetStore(settings.store, settings.admissionTimeoutMs),
          settings.leases,
          settings.clock,
          (provider, responseId, ownId) => this.callWarnings.duplicateResponseId(provider, responseId, ownId),
        )
      : undefined;
    this.leasesAtExit =
      this.leasedStore &&
      hookLeasesAtExit(() => this.close(), this.leasedStore, settings.leases?.path !== undefined);
    const store = new BoundedStore(this.leasedStore ?? settings.store, settings.admissionTimeoutMs);
    const counters = new BudgetCounters(settings.budgets, periods);
    const emitAlert = (alert: BudgetAlert) => this.emit('alert', alert);
    const failOpen = new FailOpenAllowance(settings.failOpenAllowance);
    this.boundedStore = store;
    this.counters = counters;
    this.usageBuffer = alertingUsageBuffer(store, settings.usageBuffer, counters, emitAlert);
    this.settlement = new Settlement({
      catalog: settings.catalog,
      store,
      periods,
      reportTimeZone: settings.reportTimeZone,
      failOpen,
      emitAlert,
      usageBuffer: this.usageBuffer,
    });
    this.callWarnings = new CallWarnings(settings);
    this.admissionGate = new Gate({
      settings,
      store,
      counters,
      failOpen,
      settlement: this.settlement,
      callWarnings: this.callWarnings,
      useStore: () => this.definitions.use(),
    });
    this.statusReader = new BudgetStatusReader({
      store,
      counters,
      periods,
      clock: settings.clock,
      leases: this.leasedStore,
    });
    this.reports = new BudgetReports({ settings, store, periods });
    this.strategies = new StrategySelector({ settings, store, counters });
    this.definitions = new BudgetDefinitionSaver(store, settings, counters, (uncounted) =>
      this.callWarnings.uncountedSpend(uncounted),
    );
    if (settings.onAlert) {
      const onAlert = settings.onAlert;
      this.on('alert', (alert) => onAlert(alert));
    }
    this.priceUpdater = settings.priceUpdate
      ? new PriceUpdater(settings.priceUpdate, settings.warnings)
      : undefined;
    this.priceUpdates = this.priceUpdater;
    this.priceUpdater?.start();
  }

  /** Runs `fn` with a call context (user, project, tags, request type) that every wrapped call inside inherits. */
  withContext<T>(context: CallContext, fn: () => T): T {
    if (typeof (fn as { then?: unknown } | null)?.then === 'function')
      throw new ValidationError({
        field: 'fn',
        message:
          'must be a function, got a promise: the call already ran, outside the context; ' +
          'pass it as a function: budget.withContext(context, () => client.call(…))',
      });
    validateFunction(fn, 'fn');
    return runWithContext(context, fn);
  }

  /** The time the budget works with (its `clock`), in ms since epoch. */
  now(): number {
    return this.settings.clock();
  }

  /** Estimates what a call would cost, without gating or recording anything. */
  estimate(request: EstimateRequest): Estimate {
    return estimateCall(this.settings, request);
  }

  /**
   * Reserves the worst-case cost of a call against every budget that applies, all or
   * nothing. When it does not fit, refuses with `BudgetExceededError`, or for an LLM
   * call with `onInsufficientBudget: 'clamp'` shrinks the output limit to what fits.
   */
  gate(request: GateRequest): Promise<Admission> {
    if (this.closed) return Promise.reject(closedError('gate'));
    return this.admissionGate.admit(request);
  }

  /**
   * Gates any async call that has no adapter (a speech API, a provider's REST API):
   * reserve from the descriptor's estimate, run `fn`, settle from the usage it reports
   * (or from the estimate when it reports none), release on error.
   */
  guard<T>(descriptor: GuardDescriptor, fn: (report: GuardReport) => Promise<T>): Promise<T> {
    return guardCall((request) => this.gate(request), descriptor, fn);
  }

  /** Records a call that was not gated (the original `recordUsage`). Idempotent by request id. */
  recordUsage(input: RecordUsageInput): Promise<SettledCall> {
    if (this.closed) return Promise.reject(closedError('recordUsage'));
    return recordUsage(
      {
        settlement: this.settlement,
        counters: this.counters,
        clock: this.settings.clock,
        callWarnings: this.callWarnings,
        useStore: () => this.definitions.use(),
      },
      input,
    );
  }

  /** Status of every budget that applies to the context (global budgets always). */
  async status(context?: CallContext): Promise<BudgetStatus[]> {
    await this.definitions.use();
    return this.statusReader.status(resolveContext(context));
  }

  /**
   * The status of each scope value of one budget (every user, project or tag) with spend in
   * the current period, a page at a time in scope order: `status()` shows only the ones a
   * context names.
   */
  async scopeStatuses(options: ScopeStatusOptions): Promise<ScopeStatusPage> {
    await this.definitions.use();
    return scopeStatuses(
      {
        store: this.boundedStore,
        counters: this.counters,
        reader: this.statusReader,
        clock: this.settings.clock,
      },
      options,
    );
  }

  /**
   * The records of every call, in time order, a page at a time (`next` is the cursor of the
   * following page): `{ from, to, where, limit, after }`. Each page is read through the store's
   * time index, so it costs the same however many records there are.
   */
  async records(options: RecordsOptions = {}): Promise<RecordPage> {
    await this.definitions.use();
    return readRecords(this.boundedStore, options);
  }

  /** Alerts for the current state (the original `check_alerts`): ORANGE → info, RED → warning, CRITICAL → critical. */
  async checkAlerts(context?: CallContext): Promise<BudgetAlert[]> {
    return currentAlerts(this.budgets, await this.status(context));
  }

  /** Whether a cost fits every applicable budget now, by the original rules (buffer, per-call caps). */
  async canAfford(cost: number | EstimateRequest, context?: CallContext): Promise<Affordability> {
    await this.definitions.use();
    return canAfford(
      { settings: this.settings, counters: this.counters, store: this.boundedStore },
      cost,
      context,
    );
  }

  /**
   * Spend grouped by any combination of provider, model, service, day, request type,
   * user and project, from the daily rollups (never a scan of records). The original
   * views are one call each: `{ by: ['provider'] }`, `{ by: ['day'] }`, `{ by: ['requestType'] }`.
   */
  async breakdown(options: BreakdownOptions = {}): Promise<Breakdown> {
    await this.definitions.use();
    return this.reports.breakdown(options);
  }

  /** Replays the last `days` days of usage on cheaper models of the same service and tier (and one tier down). */
  async whatIfSavings(options: WhatIfSavingsOptions = {}): Promise<SavingsOpportunity[]> {
    return this.reports.whatIfSavings(options);
  }

  /** Advice from the spend of the last `days` days: urgent at RED/CRITICAL, the costliest provider, a projection over 110%. */
  async recommendations(
    options: WhatIfSavingsOptions & { context?: CallContext } = {},
  ): Promise<Recommendation[]> {
    return this.reports.recommendations(options, () => this.status(options.context));
  }

  /** The cost strategy for the most severe alert level among the budgets that apply. */
  async strategy(context?: CallContext): Promise<CostStrategy> {
    await this.definitions.use();
    return this.strategies.strategy(context);
  }

  /** Ranked models for a request under a strategy, each with this request's estimated cost and the reason. */
  async select(options: SelectOptions): Promise<ModelCandidate[]> {
    return this.strategies.select(options);
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
    return this.strategies.downgradeFor(request);
  }

  /** Usage records not written yet: settlements running behind their calls, records of leased calls waiting to be written, and records waiting for the store to come back. */
  get pendingUsage(): number {
    return (
      this.backgroundSettlements.size +
      (this.usageBuffer?.size ?? 0) +
      (this.leasedStore?.pendingRecords ?? 0)
    );
  }

  /**
   * Keeps a settlement that runs after its call has returned (an adapter's `settle:
   * 'background'`), so that `flushUsage()` and `close()` wait for it. It must handle its own
   * errors: a rejection is only waited for, never reported.
   */
  settleInBackground(settling: Promise<unknown>): void {
    this.backgroundSettlements.add(settling);
  }

  /**
   * Keeps an adapter's stream that is still open, so that `close()` settles it from what it
   * received (as a stream dropped unread) rather than leaving its hold to its lease;
   * `forgetOpenStream` once the stream is settled.
   */
  trackOpenStream(stream: OpenStream): void {
    this.openStreams.add(stream);
  }

  /** The stream is settled: `close()` has nothing to do for it. */
  forgetOpenStream(stream: OpenStream): void {
    this.openStreams.delete(stream);
  }

  /** Waits for the settlements running in the background, then writes buffered usage; resolves to how many records still wait. */
  async flushUsage(): Promise<number> {
    await this.backgroundSettlements.drain();
    const leased = this.leasedStore ? await this.leasedStore.flush() : 0;
    return leased + (this.usageBuffer ? await this.usageBuffer.flush() : 0);
  }

  /**
   * Refuses calls from now on, stops price updates (their timer and a fetch under way), settles
   * the adapters' streams still open from what they received, waits for the settlements running
   * in the background, writes what usage it can, gives back its leases, and the budget
   * definitions if they are not saved yet; stops retrying, and closes the store.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.leasesAtExit?.detach();
    this.priceUpdater?.close();
    await this.openStreams.settleAll();
    await this.backgroundSettlements.drain();
    await this.leasedStore?.close();
    if (this.usageBuffer) {
      await this.usageBuffer.flush();
      this.usageBuffer.stop();
    }
    await this.definitions.finish();
    await this.store.close();
  }
}

/** Creates a budget manager: the one object an app gates, records and reports through. */
export function createBudget(options: CreateBudgetOptions = {}): BudgetManager {
  return new BudgetManager(options);
}
