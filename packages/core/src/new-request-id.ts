import { loadOnFirstUse } from './load-on-first-use';

let randomUUID: (() => string) | undefined;

/** A random UUID, for reservations and records that come without an id. */
export function newRequestId(): string {
  // Loaded on first use: importing node:crypto's module namespace alone costs a few milliseconds.
  randomUUID ??= loadOnFirstUse<typeof import('node:crypto')>('node:crypto').randomUUID;
  return randomUUID();
}
