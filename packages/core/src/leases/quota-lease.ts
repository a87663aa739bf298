import type { NanoUsd } from '../money/money';
import type { CounterKey } from '../store/store-contract';

/** The prefix of every lease's reservation id: `lease~<instance id>~<process token>-<n>`. */
export const LEASE_ID_PREFIX = 'lease~';

/** The instance id in a lease's reservation id, or `undefined` for an ordinary reservation. */
export function instanceOfLease(reservationId: string): string | undefined {
  if (!reservationId.startsWith(LEASE_ID_PREFIX)) return undefined;
  const end = reservationId.lastIndexOf('~');
  return end > LEASE_ID_PREFIX.length ? reservationId.slice(LEASE_ID_PREFIX.length, end) : undefined;
}

/** This instance's lease on one set of counters, and what its calls took of it. */
export interface LocalLease {
  readonly reservationId: string;
  readonly counters: readonly CounterKey[];
  readonly amount: NanoUsd;
  readonly admitted: NanoUsd;
  readonly spent: NanoUsd;
  readonly free: NanoUsd;
  readonly retired: boolean;
  readonly expiresAt: number;
}

/**
 * A chunk of budget this instance holds in the store (one hold on each counter of a call),
 * and what its calls took of it locally. `admitted + spent ≤ amount` while it admits: a call is
 * admitted only when its amount fits in what is free.
 */
export class QuotaLease {
  /** Held by calls admitted and not yet settled. */
  admitted: NanoUsd = 0;
  /** What settled calls cost. */
  spent: NanoUsd = 0;
  /** Calls admitted and not yet settled. */
  callsInFlight = 0;
  /** Records of settled calls not yet written to the store. */
  recordsUnwritten = 0;
  /** Replaced or given up: it admits only a call no other lease can (`admitFromRoom`); the hold is given back once its calls are settled and written. */
  retired = false;
  lastUsedAt: number;

  constructor(
    readonly reservationId: string,
    /** The counters it holds, as `budgetId|scope|period`. */
    readonly counterSet: string,
    readonly amount: NanoUsd,
    readonly takenAt: number,
    /** When the store lets the hold go if it is never given back. */
    readonly expiresAt: number,
    /** The lease admits calls until then. */
    readonly admitsUntil: number,
  ) {
    this.lastUsedAt = takenAt;
  }

  get free(): NanoUsd {
    return this.amount - this.admitted - this.spent;
  }

  /** Takes `amount` for one call when it fits and the lease still admits; false otherwise. */
  admit(amount: NanoUsd, now: number): boolean {
    return !this.retired && this.admitFromRoom(amount, now);
  }

  /**
   * Takes `amount` for one call when it fits and the lease is young enough, even retired: its
   * hold is whole in the store until it is drained, so what it has free still backs a call.
   */
  admitFromRoom(amount: NanoUsd, now: number): boolean {
    if (now >= this.admitsUntil || amount > this.free) return false;
    this.admitted += amount;
    this.callsInFlight++;
    this.lastUsedAt = now;
    return true;
  }

  /** A call admitted from this lease cost `cost` (its amount is freed); its record waits to be written. */
  settle(amount: NanoUsd, cost: NanoUsd): void {
    this.admitted -= amount;
    this.callsInFlight--;
    this.spent += cost;
    this.recordsUnwritten++;
  }

  /** A call admitted from this lease ended without a cost. */
  giveBack(amount: NanoUsd): void {
    this.admitted -= amount;
    this.callsInFlight--;
  }

  /** Retired, every call settled and every record written: the hold can go. */
  get drained(): boolean {
    return this.retired && this.callsInFlight === 0 && this.recordsUnwritten === 0;
  }

  /** What `budget.leases()` shows of it. */
  describe(counters: readonly CounterKey[]): LocalLease {
    const { reservationId, amount, admitted, spent, free, retired, expiresAt } = this;
    return { reservationId, counters, amount, admitted, spent, free, retired, expiresAt };
  }
}
