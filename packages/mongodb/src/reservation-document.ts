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

/** A reservation's hold and the counters it was taken on. */
export interface HeldCounters {
  readonly hold: Hold;
  readonly counterIds: readonly string[];
}

/** The hold and counters of a stored reservation, reading only strings and numbers from it. */
export function heldCountersOf(document: ReservationDocument): HeldCounters {
  const counterIds = Array.isArray(document.counterIds)
    ? document.counterIds.filter((id): id is string => typeof id === 'string')
    : [];
  return {
    hold: holdOf(document._id, numberOf(document.amount), numberOf(document.expiresAt)),
    counterIds,
  };
}

/**
 * A commit charges a counter under its reservation's hold only while the hold's lease has at
 * least this long to run, so that no reclaimer (on a clock at most this far ahead) can be
 * taking the hold back in the meantime.
 */
export const HOLD_MARGIN_MS = 1_000;

/** The counters a commit at `now` charges under the reservation's hold: the held ones among `chargedCounterIds`. */
export function chargedUnderHoldOf(
  reservation: ReservationDocument | null,
  chargedCounterIds: readonly string[],
  now: number,
): HeldCounters | undefined {
  if (!reservation) return undefined;
  const { hold, counterIds } = heldCountersOf(reservation);
  if (hold.expiresAt <= now + HOLD_MARGIN_MS) return undefined;
  const charged = counterIds.filter((counterId) => chargedCounterIds.includes(counterId));
  return charged.length === 0 ? undefined : { hold, counterIds: charged };
}
