import type { CounterKey, CounterState } from '@tollgate/core';
import type { Long } from 'mongodb';
import { numberOf } from './bson-number';

/**
 * A reservation's hold on one counter. It is written and removed as a whole element
 * (`$push`, and `$pullAll` guarded by `$all`), always with the fields in this order,
 * so that the element sent to remove a hold is exactly the element stored.
 */
export interface Hold {
  id: string;
  amount: number;
  expiresAt: number;
}

/**
 * One budget's counter for one scope value and period. Invariants kept by every update,
 * each a single-document atomic operation:
 * `reserved` = the sum of `holds[].amount`; `used` = `committed` + `reserved`.
 * `used` exists so that "does this amount still fit" is a plain filter
 * (`used ≤ capacity − amount`) rather than `$expr`, which not every server has.
 */
export interface CounterDocument {
  _id: string;
  budgetId: string;
  scope: string;
  period: string;
  committed: Long | number;
  reserved: Long | number;
  used: Long | number;
  /** The capacity of the last reservation taken (informational: each request brings its own). */
  capacity?: number;
  periodEnd?: number;
  holds: Hold[];
  /** The request ids of the last commits charged here (applied-markers.ts). */
  applied?: string[];
  /** The ids of the last holds given back here without a charge (applied-markers.ts). */
  released?: string[];
}

export function holdOf(id: string, amount: number, expiresAt: number): Hold {
  return { id, amount, expiresAt };
}

/** Holds as stored, with only checked strings and numbers, ready to be sent back in a filter. */
export function holdsOf(document: Pick<CounterDocument, 'holds'> | null | undefined): Hold[] {
  if (!document || !Array.isArray(document.holds)) return [];
  return document.holds.flatMap((hold) =>
    hold !== null && typeof hold === 'object' && typeof hold.id === 'string'
      ? [holdOf(hold.id, numberOf(hold.amount), numberOf(hold.expiresAt))]
      : [],
  );
}

export function expiredHoldsOf(document: CounterDocument | null | undefined, now: number): Hold[] {
  return holdsOf(document).filter((hold) => hold.expiresAt <= now);
}

/**
 * The counter as the contract reports it: `reserved` counts only holds whose lease has not
 * passed, and not the hold of `settledReservationId` (a commit reports its counters as they are
 * once its own hold is given back, which happens right after its charge).
 */
export function counterStateOf(
  key: CounterKey,
  document: CounterDocument | null | undefined,
  now: number,
  settledReservationId?: string,
): CounterState {
  const state = { budgetId: key.budgetId, scope: key.scope, period: key.period };
  if (!document) return { ...state, committed: 0, reserved: 0 };
  const reserved = holdsOf(document)
    .filter((hold) => hold.expiresAt > now && hold.id !== settledReservationId)
    .reduce((sum, hold) => sum + hold.amount, 0);
  return { ...state, committed: numberOf(document.committed), reserved };
}
