import type { Cost } from '../cost/calculate-cost';
import type { UsageRecord } from '../store/store-contract';
import type { Usage } from '../usage';

/** What an admission is settled with: the real usage the provider reported, and the request id. */
export interface SettleInput {
  /** What the provider reported (or what was reconstructed when it reported nothing). */
  usage: Usage;
  /** True when the usage was reconstructed (stream ended early), not read from the provider. */
  estimated?: boolean;
  /** The provider's response id, used as the record's idempotency key when present. */
  requestId?: string;
  /** The model that actually served the call, when the provider reports a different one. */
  model?: string;
  /** The provider's usage block as JSON when it could not be trusted (the usage was rebuilt), kept on the record for audit. */
  rawUsage?: string;
}

/** What settling a call recorded: its cost, whether the record was new, and whether it waited in the usage buffer. */
export interface SettledCall {
  readonly cost: Cost;
  readonly record: UsageRecord;
  /** False when this request id had already been recorded (nothing was charged again), or the record was buffered. */
  readonly recorded: boolean;
  /** The store was unreachable: the record waits in the usage buffer and is written on recovery. */
  readonly buffered: boolean;
}
