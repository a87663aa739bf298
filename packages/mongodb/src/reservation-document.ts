import { numberOf } from './bson-number';
import { type Hold, holdOf } from './counter-document';

/**
 * Where a reservation is held, so that `release` and `commit` can find its counters by id.
 * The holds in the counter documents are the source of truth: this document is only an index.
 */
export interface ReservationDocument {
  _id: string;
  amount: number;
  expiresAt: number;
  counterIds: string[];
}

export function reservationDocumentOf(id: string, hold: Hold, counterIds: string[]): ReservationDocument {
  return { _id: id, amount: hold.amount, expiresAt: hold.expiresAt, counterIds };
}

/** The hold and counters of a stored reservation, reading only strings and numbers from it. */
export function heldCountersOf(document: ReservationDocument): { hold: Hold; counterIds: string[] } {
  const counterIds = Array.isArray(document.counterIds)
    ? document.counterIds.filter((id): id is string => typeof id === 'string')
    : [];
  return {
    hold: holdOf(document._id, numberOf(document.amount), numberOf(document.expiresAt)),
    counterIds,
  };
}
