import type { NanoUsd } from '../money/money';

/**
 * What the gate may still admit, per process, while the store does not answer
 * (`failOpen`). An answer from the store makes the allowance whole again, but only the
 * answer to an operation begun after the last failure seen: an answer that was already on
 * its way when the store went down proves nothing about the store now.
 */
export class FailOpenAllowance {
  private used: NanoUsd = 0;
  private failures = 0;

  constructor(private readonly allowance: NanoUsd) {}

  /** Taken when a store operation begins; handed back to `storeAnswered` when it succeeds. */
  get epoch(): number {
    return this.failures;
  }

  /** The store answered an operation begun at `epoch`. */
  storeAnswered(epoch: number): void {
    if (epoch === this.failures) this.used = 0;
  }

  /** The store failed an operation. */
  storeFailed(): void {
    this.failures++;
  }

  /** After a failure: takes `amount` from the allowance; false, taking nothing, when it does not fit. */
  take(amount: NanoUsd): boolean {
    this.failures++;
    if (this.used + amount > this.allowance) return false;
    this.used += amount;
    return true;
  }
}
