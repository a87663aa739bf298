import { loadOnFirstUse } from './load-on-first-use';

let processPrefix: string | undefined;
let sequence = 0;

/**
 * A unique id for reservations and records that come without one: a random UUID drawn once per
 * process, then a sequence number. As unique across processes as a UUID per call (a shared store
 * sees ids from many processes), at a tenth of the cost.
 */
export function newRequestId(): string {
  // node:crypto is loaded on first use: importing its module namespace alone costs milliseconds.
  processPrefix ??= `${loadOnFirstUse<typeof import('node:crypto')>('node:crypto').randomUUID()}-`;
  sequence += 1;
  return processPrefix + sequence.toString(36);
}
