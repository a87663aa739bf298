import type { ApplicableCounter } from '../budget/budget-counters';
import type { CallContext } from '../budget/call-context';
import { validateId, validatePlainObject } from '../errors/validation';
import { ValidationError } from '../errors/validation-error';
import type { Estimate } from '../estimate/estimate-cost';
import type { NanoUsd } from '../money/money';
import type { SettledCall, SettleInput } from '../settlement/settled-call';
import type { CommitInput, Settlement } from '../settlement/settlement';
import type { BoundedStore } from '../store/bounded-store';
import { MAX_RAW_USAGE_LENGTH } from '../store/store-contract';
import { toUsage } from '../usage';
import { defineRenamedFields } from '../deprecation/renamed-fields';
import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys';
import type { Admission } from './admission';
import type { CallWarnings } from '../warnings/call-warnings';

/** A call the gate is admitting: checked and estimated (the estimate shrinks when it is clamped). */
export interface CallToAdmit {
  readonly requestId: string;
  readonly reservationId: string;
  estimate: Estimate;
  readonly counters: readonly ApplicableCounter[];
  readonly context: CallContext;
  /** What to do when the worst case does not fit. */
  readonly mode: 'throw' | 'clamp';
  readonly minOutputTokens: number;
  /** False when the call set no output limit and the estimate holds the model's largest output. */
  readonly outputLimitGiven: boolean;
  /** When the gate priced the call (ms since epoch). */
  readonly now: number;
}

/** What an admission needs to end its call: the settlement, the store (for a release), the clock and the warnings. */
export interface AdmissionParts {
  readonly settlement: Settlement;
  readonly store: BoundedStore;
  readonly clock: () => number;
  readonly callWarnings: CallWarnings;
}

const SETTLE_INPUT_KEYS = optionKeys<SettleInput>({
  usage: true,
  estimated: true,
  requestId: true,
  model: true,
  rawUsage: true,
});

/** The admission the gate hands out: settle once (idempotent), or release the hold. */
export class BudgetAdmission implements Admission {
  readonly requestId: string;
  readonly reservationId: string;
  readonly estimate: Estimate;
  readonly reservedNano: NanoUsd;
  readonly clamped: boolean;
  readonly failOpen: boolean;
  readonly context: CallContext;
  /** @deprecated Use `reservedNano`. */
  declare readonly reserved: NanoUsd;
  // Declared only: the property exists when the call was clamped, as before.
  declare readonly maxOutputTokens?: number;
  readonly #counters: readonly ApplicableCounter[];
  readonly #parts: AdmissionParts;
  #settled: Promise<SettledCall> | undefined;
  #released: Promise<void> | undefined;
  /** A commit was tried before: a record under the same id may then be this call's own. */
  #committedBefore = false;

  constructor(
    call: CallToAdmit,
    reserved: NanoUsd,
    clamped: boolean,
    failOpen: boolean,
    parts: AdmissionParts,
  ) {
    this.requestId = call.requestId;
    this.reservationId = call.reservationId;
    this.estimate = call.estimate;
    this.reservedNano = reserved;
    this.clamped = clamped;
    this.failOpen = failOpen;
    this.context = call.context;
    if (clamped) (this as { maxOutputTokens?: number }).maxOutputTokens = call.estimate.outputTokens;
    this.#counters = call.counters;
    this.#parts = parts;
  }

  settle(input: SettleInput): Promise<SettledCall> {
    if (this.#settled) return this.#settled;
    let commit: CommitInput;
    try {
      // Checked before anything is committed: a refused settle leaves the admission open to settle or release.
      commit = this.commitOf(input);
    } catch (error) {
      return Promise.reject(error);
    }
    let settled = this.#parts.settlement.commit(commit);
    if (!this.#committedBefore && commit.requestId !== this.requestId)
      settled = settled.then((result) => this.recordedAsOwn(commit, result));
    this.#committedBefore = true;
    this.#settled = settled;
    // A commit that failed leaves the admission open, to be settled again (idempotent by request id) or released.
    settled.catch(() => {
      if (this.#settled === settled) this.#settled = undefined;
    });
    return settled;
  }

  release(): Promise<void> {
    if (this.#settled || this.reservedNano === 0) return Promise.resolve();
    this.#released ??= this.#parts.store.release(this.reservationId, this.#parts.clock());
    return this.#released;
  }

  /**
   * A first commit under the provider's response id that finds it already recorded is another
   * call's (this one never committed before): charged under this admission's own id, then warned.
   */
  private async recordedAsOwn(commit: CommitInput, result: SettledCall): Promise<SettledCall> {
    if (result.recorded || result.buffered) return result;
    commit.requestId = this.requestId;
    const own = await this.#parts.settlement.commit(commit);
    this.#parts.callWarnings.duplicateResponseId(commit.provider, result.record.requestId, this.requestId);
    return own;
  }

  private commitOf(input: SettleInput): CommitInput {
    validatePlainObject(input, 'input');
    rejectUnknownKeys(input, SETTLE_INPUT_KEYS, 'input');
    const { estimate } = this;
    const served = input.model === undefined ? estimate.model : validateId(input.model, 'model');
    const usage = toUsage(input.usage, 'usage', { usageOnly: true });
    const requestId =
      input.requestId === undefined ? this.requestId : validateId(input.requestId, 'requestId');
    // Built field by field: spreads of optional fields on this path cost more than the pricing.
    const commit: CommitInput = {
      provider: estimate.provider,
      model: estimate.model,
      service: estimate.serviceType,
      usage,
      estimated: input.estimated === true,
      requestId,
      context: this.context,
      counters: this.#counters,
      reserved: this.reservedNano,
      reservationId: this.reservationId,
      now: this.#parts.clock(),
    };
    // The estimate's price is the price of the model that served the call, unless another one did.
    if (served !== estimate.model) commit.servedModel = served;
    else if (estimate.resolved) commit.resolved = estimate.resolved;
    if (input.rawUsage !== undefined) commit.rawUsage = rawUsageOf(input.rawUsage);
    return commit;
  }
}

/** An untrusted usage block kept for audit: a string of at most `MAX_RAW_USAGE_LENGTH` characters. */
function rawUsageOf(value: unknown): string {
  if (typeof value !== 'string')
    throw new ValidationError({ field: 'rawUsage', message: 'must be a string' });
  if (value.length > MAX_RAW_USAGE_LENGTH)
    throw new ValidationError({
      field: 'rawUsage',
      message: `must be at most ${MAX_RAW_USAGE_LENGTH} characters`,
    });
  return value;
}

defineRenamedFields(BudgetAdmission.prototype, 'Admission', { reserved: 'reservedNano' });
