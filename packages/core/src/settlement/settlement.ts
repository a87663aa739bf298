import type { FailOpenAllowance } from '../admission/fail-open-allowance';
import type { BudgetAlert } from '../alerts/budget-alert';
import { raiseAlerts } from '../alerts/raise-alerts';
import type { ApplicableCounter } from '../budget/budget-counters';
import type { CallContext } from '../budget/call-context';
import type { PeriodCache } from '../budget/period-cache';
import type { ResolvedPrice } from '../catalog/model-price';
import type { PriceCatalog } from '../catalog/price-catalog';
import { type PriceUsageRequest, priceCheckedUsage } from '../cost/price-usage';
import { StorageUnavailableError } from '../errors/storage-unavailable-error';
import type { NanoUsd } from '../money/money';
import type { BoundedStore } from '../store/bounded-store';
import type { CommitRequest, CommitResult, CounterCharge } from '../store/store-contract';
import type { ServiceType, Usage } from '../usage';
import type { SettledCall } from './settled-call';
import type { UsageBuffer } from './usage-buffer';
import { usageRecordOf } from './usage-record';

/** A call's usage, checked, ready to be priced and written. */
export interface CommitInput {
  provider: string;
  /** The model as called. */
  model: string;
  /** The model the provider says served the call, when another one: it is what is priced. */
  servedModel?: string;
  service: ServiceType | undefined;
  usage: Usage;
  estimated: boolean;
  /** The untrusted usage block, for the record. */
  rawUsage?: string;
  requestId: string;
  context: CallContext;
  counters: readonly ApplicableCounter[];
  reserved: NanoUsd;
  /** The hold this commit ends; absent for a call that was not gated. */
  reservationId?: string;
  /** The catalog price of the estimate, when the call was served by the model it estimated. */
  resolved?: ResolvedPrice;
  now: number;
}

/**
 * Prices a call's usage, writes its record and charges every counter in one store
 * commit (idempotent by request id), raises the alerts that commit crossed, and
 * buffers the commit when the store does not answer.
 */
export class Settlement {
  private readonly catalog: PriceCatalog;
  private readonly store: BoundedStore;
  private readonly periods: PeriodCache;
  private readonly reportTimeZone: string;
  private readonly failOpen: FailOpenAllowance;
  private readonly emitAlert: (alert: BudgetAlert) => void;
  private readonly usageBuffer: UsageBuffer | undefined;

  constructor(parts: {
    catalog: PriceCatalog;
    store: BoundedStore;
    periods: PeriodCache;
    reportTimeZone: string;
    failOpen: FailOpenAllowance;
    emitAlert: (alert: BudgetAlert) => void;
    usageBuffer: UsageBuffer | undefined;
  }) {
    this.catalog = parts.catalog;
    this.store = parts.store;
    this.periods = parts.periods;
    this.reportTimeZone = parts.reportTimeZone;
    this.failOpen = parts.failOpen;
    this.emitAlert = parts.emitAlert;
    this.usageBuffer = parts.usageBuffer;
  }

  async commit(input: CommitInput): Promise<SettledCall> {
    // Built field by field: this is the hot path of every call, and spreads of optional fields cost more than the pricing.
    const priceRequest: PriceUsageRequest = {
      provider: input.provider,
      model: input.servedModel ?? input.model,
      usage: input.usage,
    };
    if (input.service) priceRequest.service = input.service;
    if (input.resolved) priceRequest.resolved = input.resolved;
    else priceRequest.at = new Date(input.now);
    // The service was checked where the call came in (the gate's estimate, recordUsage).
    const cost = priceCheckedUsage(this.catalog, priceRequest);
    const record = usageRecordOf(input, cost, this.periods.day(this.reportTimeZone, input.now));
    const charges: CounterCharge[] = new Array(input.counters.length);
    for (let index = 0; index < charges.length; index++) {
      const counter = input.counters[index]!;
      charges[index] = chargeOf(counter, this.periods.day(counter.budget.timeZone, input.now));
    }
    const request: CommitRequest =
      input.reservationId === undefined
        ? { record, counters: charges, now: input.now }
        : { reservationId: input.reservationId, record, counters: charges, now: input.now };
    let result: CommitResult;
    const epoch = this.failOpen.epoch;
    try {
      result = await this.store.commit(request);
      this.failOpen.storeAnswered(epoch);
    } catch (error) {
      if (StorageUnavailableError.isInstance(error)) this.failOpen.storeFailed();
      if (!this.usageBuffer || !StorageUnavailableError.isInstance(error)) throw error;
      this.usageBuffer.add(request, true);
      return { cost, record, recorded: false, buffered: true };
    }
    if (result.recorded) raiseAlerts(this.emitAlert, input.counters, result.counters, cost.total);
    return { cost, record, recorded: result.recorded, buffered: false };
  }
}

/** A counter's charge for a day: one object per counter and day, shared by that day's commits. */
function chargeOf(counter: ApplicableCounter, day: string): CounterCharge {
  const last = counter.lastCharge;
  if (last !== undefined && last.day === day) return last;
  const { limit } = counter;
  const charge = { budgetId: limit.budgetId, scope: limit.scope, period: limit.period, day };
  counter.lastCharge = charge;
  return charge;
}
