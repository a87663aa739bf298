import type { IncomingHttpHeaders } from 'node:http';
import type { Provider } from './provider.js';

/** One request the emulator received. */
export interface RecordedRequest {
  /** Null for paths outside every provider's API. */
  provider: Provider | null;
  /** The emulated endpoint, e.g. `chat.completions`, `messages`, `audio.transcriptions`; null when unknown. */
  endpoint: string | null;
  method: string;
  /** The path without the query string, e.g. `/anthropic/v1/messages`. */
  path: string;
  /** The parsed JSON body; for multipart requests the text fields, files as `{ filename, contentType, size }`. */
  body: unknown;
  /** Multipart part names in order; undefined for other bodies. */
  multipartFields?: string[] | undefined;
  /** Lower-cased request headers; credentials replaced by `[redacted]`. */
  headers: Record<string, string>;
  /** Milliseconds since the epoch when the request arrived. */
  time: number;
  /** The response status, set when the response starts; a dropped stream keeps its 200. */
  status?: number | undefined;
}

const CREDENTIAL_HEADERS = new Set([
  'authorization',
  'x-api-key',
  'api-key',
  'proxy-authorization',
  'cookie',
]);

/** Request headers as a plain object, without credential values. */
export function sanitizeHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const sanitized: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    sanitized[name] = CREDENTIAL_HEADERS.has(name)
      ? '[redacted]'
      : Array.isArray(value)
        ? value.join(', ')
        : value;
  }
  return sanitized;
}
