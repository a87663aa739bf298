import { alertLevelFor } from '../alerts/alert-level';
import type { ApplicableCounter, BudgetCounters } from '../budget/budget-counters';
import { type CallContext, resolveContext } from '../budget/call-context';
import type { BudgetSettings } from '../config/budget-settings';
import { type BudgetRefusal, BudgetExceededError } from '../errors/budget-exceeded-error';
import { StorageUnavailableError } from '../errors/storage-unavailable-error';
import {
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
import { type AdmissionParts, BudgetAdmission, type CallToAdmit } from './budget-admission';
import { clampOutput, smallestOutput } from './clamp-output';
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
  private readonly useStore: () => Promise<void> | undefined;

  constructor(parts: {
    settings: BudgetSettings;
    store: BoundedStore;
    counters: BudgetCounters;
    failOpen: FailOpenAllowance;
    settlement: Settlement;
    callWarnings: CallWarnings;
    /** Called before each reserve; the first waits for what it returns (new budgets' spend). */
    useStore: () => Promise<void> | undefined;
  }) {
    this.callWarnings = parts.callWarnings;
    this.useStore = parts.useStore;
    this.settings = parts.settings;
    this.store = parts.store;
    this.counters = parts.counters;
    this.failOpen = parts.failOpen;
    this.admissionParts = {
      settlement: parts.settlement,
      store: parts.store,
      clock: parts.settings.clock,
      callWarnings: parts.callWarnings,
    };
  }

  admit(request: GateRequest): Promise<Admission> {
    let call: CallToAdmit;
    try {
      call = this.callOf(request);
    } catch (error) {
      return Promise.reject(error);
    }
    if (call.counters.length === 0 || call.estimate.costNano === 0)
      return Promise.resolve(this.admitted(call, 0, false, false));
    // After the request is checked: a bad one never reaches the store.
    const firstUse = this.useStore();
    if (firstUse) return firstUse.then(() => this.reserve(call));
    return this.reserve(call);
  }

  /** The checked request, its estimate and the counters it is held on; nothing reserved yet. */
  private callOf(request: GateRequest): CallToAdmit {
    validatePlainObject(request, 'request');
    rejectUnknownKeys(request, GATE_REQUEST_KEYS, 'request', MISPLACED_CONTEXT_KEYS);
    // The gate prices at its own clock; a given `at` is still checked rather than ignored blindly.
    if (request.at !== undefined) validateDate(request.at, 'at');
    const context = resolveContext(request.context);
    const reservationId = newRequestId();
    const requestId =
      request.requestId === undefined ? reservationId : validateId(request.requestId, 'requestId');
    const mode =
      request.onInsufficientBudget === undefined
        ? 'throw'
        : validateOneOf(request.onInsufficientBudget, 'onInsufficientBudget', ['throw', 'clamp'] as const);
    const minOutputTokens =
      request.minOutputTokens === undefined
        ? this.settings.minOutputTokens
        : validateCount(request.minOutputTokens, 'minOutputTokens');
    const now = this.settings.clock();
    const estimate = estimateWithCatalog(
      this.settings.catalog,
      request,
      new Date(now),
      this.settings.promptTokens,
    );
    const counters = this.counters.forCall(context, now);
    // Before anything is reserved: a strict budget throws these.
    this.callWarnings.checkPrice(request.provider, request.model, estimate.layer);
    this.callWarnings.checkContext(context);
    const outputLimitGiven = request.maxOutputTokens !== undefined;
    return {
      requestId,
      reservationId,
      estimate,
      counters,
      context,
      mode,
      minOutputTokens,
      outputLimitGiven,
      now,
    };
  }

  /** Reserves the call's worst case on every counter; refuses, clamps or fails open when it does not fit. */
  private async reserve(call: CallToAdmit): Promise<Admission> {
    const limits = limitsOf(call.counters);
    let clamped = false;
    for (let attempt = 0; ; attempt++) {
      let result: ReserveResult;
      const epoch = this.failOpen.epoch;
      try {
        result = await this.store.reserve({
          reservationId: call.reservationId,
          amount: call.estimate.costNano,
          counters: limits,
          leaseMs: this.settings.leaseMs,
          now: call.now,
        });
        this.failOpen.storeAnswered(epoch);
      } catch (error) {
        if (!StorageUnavailableError.isInstance(error) || !this.failOpen.take(call.estimate.costNano))
          throw error;
        return this.admitted(call, call.estimate.costNano, clamped, true);
      }
      const canClamp = call.mode === 'clamp' && attempt < MAX_CLAMP_ATTEMPTS;
      if (result.ok) {
        const capped = perCallCapViolation(call.counters, result.counters, call.estimate.costNano);
        if (!capped) return this.admitted(call, call.estimate.costNano, clamped, false);
        await this.store.release(call.reservationId, call.now);
        const smaller = canClamp
          ? clampOutput(this.settings, call.estimate, capped.cap - 1, call.minOutputTokens)
          : undefined;
        if (!smaller) throw capped.error;
        call.estimate = smaller;
        clamped = true;
        continue;
      }
      const smaller = canClamp
        ? clampOutput(this.settings, call.estimate, result.available, call.minOutputTokens)
        : undefined;
      if (!smaller)
        throw refusal(
          call,
          result,
          call.mode === 'clamp'
            ? smallestOutput(this.settings, call.estimate, call.minOutputTokens)
            : undefined,
        );
      call.estimate = smaller;
      clamped = true;
    }
  }

  private admitted(call: CallToAdmit, reserved: number, clamped: boolean, failOpen: boolean): Admission {
    return new BudgetAdmission(call, reserved, clamped, failOpen, this.admissionParts);
  }
}

/** The error for a call the store refused: the first budget that had too little left. */
function refusal(
  call: CallToAdmit,
  result: Extract<ReserveResult, { ok: false }>,
  smallest: BudgetRefusal['smallest'],
): BudgetExceededError {
  const refused = call.counters.find(
    (c) => c.limit.budgetId === result.refusedBy.budgetId && c.limit.scope === result.refusedBy.scope,
  )!;
  const used = refused.limit.capacity - result.available;
  const refusal: BudgetRefusal = {
    budgetId: refused.budget.id,
    scopeKey: refused.limit.scope,
    neededNano: call.estimate.costNano,
    availableNano: result.available,
    alertLevel: alertLevelFor(used, refused.budget.limitNano, refused.budget.thresholds),
    reason: result.available <= 0 ? 'over-budget' : 'insufficient-remaining',
  };
  if (!call.outputLimitGiven && call.estimate.serviceType === 'llm' && call.estimate.outputTokens > 0)
    refusal.assumedOutputTokens = call.estimate.outputTokens;
  if (smallest !== undefined) refusal.smallest = smallest;
  return new BudgetExceededError(refusal);
}

function limitsOf(counters: readonly ApplicableCounter[]): CounterLimit[] {
  const limits: CounterLimit[] = new Array(counters.length);
  for (let index = 0; index < counters.length; index++) limits[index] = counters[index]!.limit;
  return limits;
}
