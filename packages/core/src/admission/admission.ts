import type { CallContext } from '../budget/call-context';
import type { Estimate } from '../estimate/estimate-cost';
import type { NanoUsd } from '../money/money';
import type { SettledCall, SettleInput } from '../settlement/settled-call';

/** A call the gate let through: budget is held until `settle` or `release`. */
export interface Admission {
  readonly requestId: string;
  readonly reservationId: string;
  readonly estimate: Estimate;
  /** Held for the call. */
  readonly reservedNano: NanoUsd;
  /** @deprecated Use `reservedNano`. */
  readonly reserved: NanoUsd;
  /** Set when the gate shrank the call's output limit to what the budget affords. */
  readonly maxOutputTokens?: number;
  readonly clamped: boolean;
  /**
   * True when the store could not be reached and the call was let through on the `failOpen`
   * allowance: nothing is held in the store for it, and its settle is buffered until the store
   * answers again.
   */
  readonly failOpen: boolean;
  readonly context: CallContext;
  /** Records the real cost and releases the rest of the hold. Idempotent; after a failed commit, it can be settled again or released. */
  settle(input: SettleInput): Promise<SettledCall>;
  /** Gives the hold back (the call failed before anything was billed). Idempotent. */
  release(): Promise<void>;
}
