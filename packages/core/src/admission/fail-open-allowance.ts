import type { NanoUsd } from '../money/money';

/**
 * What the gate may still admit, per process, while the store does not answer
 * (`failOpen`). Any answer from the store makes the allowance whole again.
 */
export class FailOpenAllowance {
  private used: NanoUsd = 0;

  constructor(private readonly allowance: NanoUsd) {}

  storeAnswered(): void {
    this.used = 0;
  }

  /** Takes `amount` from the allowance; false, taking nothing, when it does not fit. */
  take(amount: NanoUsd): boolean {
    if (this.used + amount > this.allowance) return false;
    this.used += amount;
    return true;
  }
}
