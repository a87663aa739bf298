import { alertLevelFor } from '../alerts/alert-level';
import type { ApplicableCounter, BudgetCounters } from '../budget/budget-counters';
import { type CallContext, resolveContext } from '../budget/call-context';
import type { BudgetSettings } from '../config/budget-settings';
import { BudgetExceededError } from '../errors/budget-exceeded-error';
import { StorageUnavailableError } from '../errors/storage-unavailable-error';
import {
  orDefault,
  validateCount,
  validateDate,
  validateId,
  validateOneOf,
  validatePlainObject,
} from '../errors/validation';
import { type EstimateRequest, estimateWithCatalog } from '../estimate/estimate-cost';
import { ESTIMATE_REQUEST_KEYS } from '../estimate/estimate-request-keys';
import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys';
import { MISPLACED_CONTEXT_KEYS } from '../budget/misplaced-context-keys';
import { newRequestId } from '../new-request-id';
import type { Settlement } from '../settlement/settlement';
import type { BoundedStore } from '../store/bounded-store';
import type { CounterLimit, ReserveResult } from '../store/store-contract';
import type { Admission } from './admission';
import { type AdmissionParts, type AdmittedCall, BudgetAdmission } from './budget-admission';
import { clampOutput } from './clamp-output';
import type { FailOpenAllowance } from './fail-open-allowance';
import { perCallCapViolation } from './per-call-cap';
import type { CallWarnings } from '../warnings/call-warnings';

export interface GateRequest extends EstimateRequest {
  /** Explicit context; its values win over `withContext`. */
  context?: CallContext;
  requestId?: string;
  /** When the worst case does not fit: `throw` (default) or shrink the output limit (`clamp`, LLM calls only). */
  onInsufficientBudget?: 'throw' | 'clamp';
  minOutputTokens?: number;
}

const MAX_CLAMP_ATTEMPTS = 3;
const GATE_REQUEST_KEYS = [
  ...ESTIMATE_REQUEST_KEYS,
  ...optionKeys<Omit<GateRequest, keyof EstimateRequest>>({
    context: true,
    requestId: true,
    onInsufficientBudget: true,
    minOutputTokens: true,
  }),
];

/**
 * Admits a call: estimate its worst case, reserve it on every budget that applies (all or
 * nothing), check the per-call caps, and when it does not fit refuse it or clamp its output.
 * A store that does not answer refuses the call, unless the fail-open allowance covers it.
 */
export class Gate {
  private readonly settings: BudgetSettings;
  private readonly store: BoundedStore;
  private readonly counters: BudgetCounters;
  private readonly failOpen: FailOpenAllowance;
  private readonly admissionParts: AdmissionParts;
  private readonly callWarnings: CallWarnings;

  constructor(parts: {
    settings: BudgetSettings;
    store: BoundedStore;
    counters: BudgetCounters;
    failOpen: FailOpenAllowance;
    settlement: Settlement;
    callWarnings: CallWarnings;
  }) {
    this.callWarnings = parts.callWarnings;
    this.settings = parts.settings;
    this.store = parts.store;
    this.counters = parts.counters;
    this.failOpen = parts.failOpen;
    this.admissionParts = { settlement: parts.settlement, store: parts.store, clock: parts.settings.clock };
  }

  async admit(request: GateRequest): Promise<Admission> {
    validatePlainObject(request, 'request');
    rejectUnknownKeys(request, GATE_REQUEST_KEYS, 'request', MISPLACED_CONTEXT_KEYS);
    // The gate prices at its own clock; a given `at` is still checked rather than ignored blindly.
    if (request.at !== undefined) validateDate(request.at, 'at');
    const context = resolveContext(request.context);
    const reservationId = newRequestId();
    const requestId =
      request.requestId === undefined ? reservationId : validateId(request.requestId, 'requestId');
    const mode = validateOneOf(
      orDefault<unknown>(request.onInsufficientBudget, 'throw'),
      'onInsufficientBudget',
      ['throw', 'clamp'] as const,
    );
    const minOutput =
      request.minOutputTokens === undefined
        ? this.settings.minOutputTokens
        : validateCount(request.minOutputTokens, 'minOutputTokens');
    const now = this.settings.clock();
    let estimate = estimateWithCatalog(
      this.settings.catalog,
      request,
      new Date(now),
      this.settings.promptTokens,
    );
    const counters = this.counters.forCall(context, now);
    // Before anything is reserved: a strict budget throws these.
    this.callWarnings.checkPrice(request.provider, request.model, estimate.layer);
    this.callWarnings.checkContext(context);
    if (counters.length === 0 || estimate.costNano === 0) {
      return this.admitted({
        requestId,
        reservationId,
        estimate,
        reserved: 0,
        counters,
        context,
        clamped: false,
        failOpen: false,
      });
    }
    let clamped = false;
    for (let attempt = 0; ; attempt++) {
      let result: ReserveResult;
      const epoch = this.failOpen.epoch;
      try {
        result = await this.store.reserve({
          reservationId,
          amount: estimate.costNano,
          counters: limitsOf(counters),
          leaseMs: this.settings.leaseMs,
          now,
        });
        this.failOpen.storeAnswered(epoch);
      } catch (error) {
        if (!StorageUnavailableError.isInstance(error) || !this.failOpen.take(estimate.costNano)) throw error;
        return this.admitted({
          requestId,
          reservationId,
          estimate,
          reserved: estimate.costNano,
          counters,
          context,
          clamped,
          failOpen: true,
        });
      }
      if (result.ok) {
        const capped = perCallCapViolation(counters, result.counters, estimate.costNano);
        if (!capped) {
          return this.admitted({
            requestId,
            reservationId,
            estimate,
            reserved: estimate.costNano,
            counters,
            context,
            clamped,
            failOpen: false,
          });
        }
        await this.store.release(reservationId, now);
        const smaller =
          mode === 'clamp' && attempt < MAX_CLAMP_ATTEMPTS
            ? clampOutput(this.settings, estimate, capped.cap - 1, minOutput)
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
          ? clampOutput(this.settings, estimate, result.available, minOutput)
          : undefined;
      if (!smaller) {
        const used = refused.limit.capacity - result.available;
        throw new BudgetExceededError({
          budgetId: refused.budget.id,
          scopeKey: refused.limit.scope,
          neededNano: estimate.costNano,
          availableNano: result.available,
          alertLevel: alertLevelFor(used, refused.budget.limitNano, refused.budget.thresholds),
          reason: result.available <= 0 ? 'over-budget' : 'insufficient-remaining',
        });
      }
      estimate = smaller;
      clamped = true;
    }
  }

  private admitted(call: AdmittedCall): Admission {
    return new BudgetAdmission(call, this.admissionParts);
  }
}

function limitsOf(counters: readonly ApplicableCounter[]): CounterLimit[] {
  const limits: CounterLimit[] = new Array(counters.length);
  for (let index = 0; index < counters.length; index++) limits[index] = counters[index]!.limit;
  return limits;
}
