import type { Cost } from '../cost/calculate-cost';
import type { Estimate } from '../estimate/estimate-cost';
import type { NanoUsd } from '../money/money';
import type { UsageRecord } from '../store/store-contract';
import type { Usage } from '../usage';
import type { CallContext } from './call-context';

export interface SettleInput {
  /** What the provider reported (or what was reconstructed when it reported nothing). */
  usage: Usage;
  /** True when the usage was reconstructed (stream ended early), not read from the provider. */
  estimated?: boolean;
  /** The provider's response id, used as the record's idempotency key when present. */
  requestId?: string;
  /** The model that actually served the call, when the provider reports a different one. */
  model?: string;
}

export interface SettledCall {
  readonly cost: Cost;
  readonly record: UsageRecord;
  /** False when this request id had already been recorded (nothing was charged again), or the record was buffered. */
  readonly recorded: boolean;
  /** The store was unreachable: the record waits in the usage buffer and is written on recovery. */
  readonly buffered: boolean;
}

/** A call the gate let through: budget is held until `settle` or `release`. */
export interface Admission {
  readonly requestId: string;
  readonly reservationId: string;
  readonly estimate: Estimate;
  /** nano-USD held for the call. */
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
  /** Records the real cost and releases the rest of the hold. Idempotent. */
  settle(input: SettleInput): Promise<SettledCall>;
  /** Gives the hold back (the call failed before anything was billed). Idempotent. */
  release(): Promise<void>;
}
