import { validateId } from '../errors/validation';
import { ValidationError } from '../errors/validation-error';
import type { RecordPosition } from '../store/store-contract';

/** Longer than any cursor this module writes (a timestamp and a request id of at most 256 characters). */
const MAX_CURSOR_LENGTH = 2_048;

/** The opaque `next` of a page of records: where the next page starts. */
export function encodeRecordCursor(position: RecordPosition): string {
  return Buffer.from(JSON.stringify([position.timestamp, position.requestId]), 'utf8').toString('base64url');
}

/** Reads a cursor given back by the app; anything but a cursor this module wrote is a `ValidationError`. */
export function decodeRecordCursor(cursor: unknown, field: string): RecordPosition {
  const invalid = () =>
    new ValidationError({ field, message: 'must be the `next` cursor of a previous page of records' });
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalid();
  const [timestamp, requestId] = parsed as [unknown, unknown];
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) throw invalid();
  try {
    return { timestamp, requestId: validateId(requestId, field) };
  } catch {
    throw invalid();
  }
}
