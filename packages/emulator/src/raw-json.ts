import { EmulatorRequestError } from './emulator-request-error.js';

/**
 * A JSON text a test supplies, sent as it is inside a response: numbers such as `1e400` or
 * `-0`, which a parse and a `JSON.stringify` would turn into `null` or `0`, reach the client
 * as written.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/** The supplied text as a `RawJson`, once it is known to parse as JSON (anything else is a 400). */
export function rawJsonOf(text: string, source: string): RawJson {
  try {
    JSON.parse(text);
  } catch {
    throw new EmulatorRequestError(400, `${source} must be a JSON text.`);
  }
  return new RawJson(text);
}

// A string JSON.stringify writes as an escape sequence, so it cannot appear in a serialized string by accident.
const MARK = '\u0000raw-json:';
const MARKED = /"\\u0000raw-json:(\d+)"/g;

/** `JSON.stringify`, with every `RawJson` in `value` written as its text. */
export function stringifyJson(value: unknown): string {
  const texts: string[] = [];
  const serialized = JSON.stringify(value, (_key, item: unknown) =>
    item instanceof RawJson ? `${MARK}${texts.push(item.text) - 1}` : item,
  );
  if (texts.length === 0) return serialized;
  return serialized.replace(MARKED, (_match, index: string) => texts[Number(index)] ?? 'null');
}
