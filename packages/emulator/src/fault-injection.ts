import type { IncomingHttpHeaders } from 'node:http';
import { EMULATOR_HEADERS, readBooleanHeader, readCountHeader, readTextHeader } from './emulator-headers.js';
import { EmulatorRequestError } from './emulator-request-error.js';
import type { Provider } from './provider.js';

/** An injected error response, in the addressed provider's error shape. */
export interface ErrorFault {
  /** HTTP status, e.g. 400, 401, 429, 500 (Anthropic also knows 529 overloaded). */
  status: number;
  /** How many matching requests fail before the fault clears itself; unlimited when absent. */
  times?: number | undefined;
  /** The error message; a provider-like default when absent. */
  message?: string | undefined;
  /** Only requests to this provider fail; all providers when absent. */
  provider?: Provider | undefined;
  /** Only requests to this endpoint fail (`messages.count_tokens`, as in the request log); all endpoints when absent. */
  endpoint?: string | undefined;
  /** Sends a `retry-after` header with this many seconds. */
  retryAfterSeconds?: number | undefined;
}

/** Fault knobs, mutable at run time through `emulator.faults`. */
export interface FaultSettings {
  /** Milliseconds before the response starts. Also the delay before each stream chunk unless `chunkDelayMs` is set. */
  latencyMs: number;
  /** Milliseconds before each streamed content chunk; `latencyMs` when null. */
  chunkDelayMs: number | null;
  error: ErrorFault | null;
  /** Streams: destroy the socket after this many content chunks, before the final events. Null: never. */
  dropAfterChunks: number | null;
  /**
   * Streams: after this many content chunks, send nothing more until the client goes away or the
   * emulator closes, so that a test can abort a stream knowing its usage never came. Null: never.
   */
  stallAfterChunks?: number | null | undefined;
  /** Streams: leave out the final usage (OpenAI's usage chunk, Anthropic's message_delta, Mistral's usage field). */
  omitUsage: boolean;
  /** Matching requests are logged and never answered, until their client goes away or the emulator closes. */
  stall?: StallFault | null | undefined;
}

/** A provider that hangs: the requests it matches get no response at all. */
export interface StallFault {
  /** Only requests to this provider hang; all providers when absent. */
  provider?: Provider | undefined;
  /** Only requests to this endpoint hang (`messages.count_tokens`); all endpoints when absent. */
  endpoint?: string | undefined;
}

/** Whether a request to `provider`'s `endpoint` is to hang (`settings.stall`). */
export function stallsRequest(settings: FaultSettings, provider: Provider, endpoint: string): boolean {
  const { stall } = settings;
  return (
    stall != null &&
    (stall.provider === undefined || stall.provider === provider) &&
    (stall.endpoint === undefined || stall.endpoint === endpoint)
  );
}

export function defaultFaultSettings(): FaultSettings {
  return { latencyMs: 0, chunkDelayMs: null, error: null, dropAfterChunks: null, omitUsage: false };
}

/** The faults in force for one request. */
export interface RequestFaults {
  latencyMs: number;
  chunkDelayMs: number;
  error: { status: number; message: string | undefined; retryAfterSeconds: number | undefined } | null;
  dropAfterChunks: number | null;
  stallAfterChunks: number | null;
  omitUsage: boolean;
}

/**
 * The faults for one request: its `x-emulator-*` fault headers, else the emulator's
 * settings. A matching `settings.error` with `times` is consumed here, and cleared
 * when it reaches zero.
 */
export function resolveRequestFaults(
  settings: FaultSettings,
  headers: IncomingHttpHeaders,
  provider: Provider,
  endpoint?: string,
): RequestFaults {
  const latencyMs = readCountHeader(headers, EMULATOR_HEADERS.latencyMs) ?? settings.latencyMs;
  const chunkDelayMs =
    readCountHeader(headers, EMULATOR_HEADERS.chunkDelayMs) ?? settings.chunkDelayMs ?? latencyMs;
  const dropAfterChunks =
    readCountHeader(headers, EMULATOR_HEADERS.dropAfterChunks) ?? settings.dropAfterChunks;
  const stallAfterChunks =
    readCountHeader(headers, EMULATOR_HEADERS.stallAfterChunks) ?? settings.stallAfterChunks ?? null;
  const omitUsage = readBooleanHeader(headers, EMULATOR_HEADERS.omitUsage) ?? settings.omitUsage;

  let error: RequestFaults['error'] = null;
  const headerStatus = readCountHeader(headers, EMULATOR_HEADERS.errorStatus);
  if (headerStatus !== undefined) {
    if (headerStatus < 400 || headerStatus > 599) {
      throw new EmulatorRequestError(400, `Header ${EMULATOR_HEADERS.errorStatus} must be 400-599.`);
    }
    error = {
      status: headerStatus,
      message: readTextHeader(headers, EMULATOR_HEADERS.errorMessage),
      retryAfterSeconds: undefined,
    };
  } else if (
    settings.error &&
    (settings.error.provider === undefined || settings.error.provider === provider) &&
    (settings.error.endpoint === undefined || settings.error.endpoint === endpoint)
  ) {
    const fault = settings.error;
    error = { status: fault.status, message: fault.message, retryAfterSeconds: fault.retryAfterSeconds };
    if (fault.times !== undefined) {
      // Replaced rather than decremented in place, so a caller's object is never changed.
      settings.error = fault.times > 1 ? { ...fault, times: fault.times - 1 } : null;
    }
  }
  return { latencyMs, chunkDelayMs, error, dropAfterChunks, stallAfterChunks, omitUsage };
}
