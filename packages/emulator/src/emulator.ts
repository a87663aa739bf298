import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delay } from './delay.js';
import { EndpointContext } from './endpoint-context.js';
import { EmulatorRequestError } from './emulator-request-error.js';
import {
  defaultFaultSettings,
  type FaultSettings,
  resolveRequestFaults,
  type StallFault,
  stallsRequest,
} from './fault-injection.js';
import { type MultipartForm, parseMultipartForm } from './multipart-form.js';
import { PROVIDER_PREFIXES, type Provider } from './provider.js';
import { providerErrorBody } from './provider-errors.js';
import { callTogether } from './call-together.js';
import { type HeldResponses, ResponseHold } from './response-hold.js';
import { type RecordedRequest, sanitizeHeaders } from './request-log.js';
import { findRoute, GEMINI_ROUTES, providerOfPath, ROUTES, type Route } from './routes.js';
import { defaultUsageSettings, resolveUsageSettings, type UsageSettings } from './usage-model.js';

/** How `startEmulator` listens and which faults and usage it starts with. */
export interface EmulatorOptions {
  /** Port to listen on; 0 (the default) picks a free ephemeral port. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Shorthand for `faults.latencyMs`. */
  latencyMs?: number;
  /** Initial fault knobs; `reset()` returns to them. */
  faults?: Partial<FaultSettings>;
  /** Initial usage settings; `reset()` returns to them. */
  usage?: Partial<UsageSettings>;
  /** Largest accepted request body in bytes; default 100 MiB. */
  maxBodyBytes?: number;
  /**
   * How response and request ids are made. `unique` (default): as a provider's, never the same
   * in another start of the emulator (`chatcmpl-emulator-<stamp>-000001`), so that a store kept
   * across restarts counts every call. `sequential`: `chatcmpl-emulator000001`, `…000002`, the
   * same in every start and restarted by `reset()`, for tests that name the ids.
   */
  ids?: 'unique' | 'sequential';
}

/** A running emulator: its URLs for each SDK, the requests it received, and knobs to change at run time. */
export interface Emulator {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** For `new OpenAI({ baseURL })`: `url + '/v1'`. */
  readonly openaiBaseURL: string;
  /** For `new Anthropic({ baseURL })`: `url + '/anthropic'` (the SDK appends `/v1/...`). */
  readonly anthropicBaseURL: string;
  /** For `new Mistral({ serverURL })`: `url + '/mistral'` (the SDK appends `/v1/...`). */
  readonly mistralServerURL: string;
  /**
   * For `new GoogleGenAI({ apiKey, httpOptions: { baseUrl } })`: `url + '/gemini'` (the SDK
   * appends `/v1beta/models/{model}:{method}`; `/v1` is served too).
   */
  readonly geminiBaseURL: string;
  /** Every request received, oldest first; emptied in place by `reset()`. */
  readonly requests: RecordedRequest[];
  /** Fault knobs for all later requests; change the fields at run time. */
  readonly faults: FaultSettings;
  /** Usage settings for all later requests; change the fields at run time. */
  readonly usage: UsageSettings;
  /** Empties the request log, restores the initial faults and usage, restarts the ids. */
  reset(): void;
  /**
   * Holds the matching requests (all of them when no filter is given) unanswered, logged, until
   * `release()`: a test can let calls pile up at the provider and know they all did before any
   * is answered. `reset()` and `close()` release every hold.
   */
  holdResponses(filter?: StallFault): HeldResponses;
  /**
   * Starts `count` calls (`call(index)`) and holds the matching responses until every call is
   * waiting here or has ended without reaching the emulator (a budget gate refused it): all
   * are in flight together, however slow the machine, so a test of concurrent admissions
   * does not depend on timing. Resolves to each call's outcome, in order.
   */
  callTogether<T>(
    count: number,
    call: (index: number) => Promise<T>,
    filter?: StallFault,
  ): Promise<PromiseSettledResult<T>[]>;
  /** Stops the server and closes open (keep-alive) connections. Safe to call twice. */
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 100 * 1024 * 1024;

function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest of the body is read and discarded, so the 413 can be sent.
      if (size <= maxBytes) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > maxBytes) reject(new EmulatorRequestError(413, `Request body exceeds ${maxBytes} bytes.`));
      else resolve(Buffer.concat(chunks));
    });
    request.on('error', reject);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJsonBody(raw: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new EmulatorRequestError(400, 'The request body is not valid JSON.');
  }
  if (!isRecord(parsed)) throw new EmulatorRequestError(400, 'The request body must be a JSON object.');
  return parsed;
}

function replaceContents<T extends object>(target: T, source: T): void {
  for (const key of Object.keys(target)) delete (target as Record<string, unknown>)[key];
  Object.assign(target, source);
}

/** What sets this start's ids apart from every other start's (`-<8 hex digits>-`), or nothing for `sequential`. */
function idStampOf(ids: EmulatorOptions['ids']): string {
  if (ids === undefined || ids === 'unique') return `-${randomBytes(4).toString('hex')}-`;
  if (ids === 'sequential') return '';
  throw new TypeError(`ids must be 'unique' or 'sequential', got ${JSON.stringify(ids)}`);
}

/**
 * Starts the emulator: a `node:http` server on 127.0.0.1 (an ephemeral port unless
 * `options.port` is given) serving the OpenAI, Anthropic, Mistral and Gemini endpoints.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const initialFaults: FaultSettings = {
    ...defaultFaultSettings(),
    ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
    ...options.faults,
  };
  const initialUsage: UsageSettings = { ...defaultUsageSettings(), ...options.usage };
  const faults: FaultSettings = { ...initialFaults };
  const usage: UsageSettings = { ...initialUsage };
  const requests: RecordedRequest[] = [];
  const shutdown = new AbortController();
  // Every in-flight request listens for shutdown; many concurrent requests are expected.
  setMaxListeners(0, shutdown.signal);
  const idCounters = new Map<string, number>();
  const holds = new Set<ResponseHold>();

  const stamp = idStampOf(options.ids);
  const nextId = (prefix: string): string => {
    const next = (idCounters.get(prefix) ?? 0) + 1;
    idCounters.set(prefix, next);
    return `${prefix}emulator${stamp}${String(next).padStart(6, '0')}`;
  };

  const respondWithError = (
    response: ServerResponse,
    record: RecordedRequest,
    provider: Provider | null,
    status: number,
    message: string | undefined,
    param: string | null = null,
    headers: Record<string, string> = {},
  ): void => {
    record.status = status;
    if (response.headersSent || response.destroyed) {
      response.destroy();
      return;
    }
    const requestId = nextId('req_');
    const body = JSON.stringify(
      providerErrorBody(provider ?? 'openai', status, { message, param, requestId }),
    );
    response.writeHead(status, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      ...(provider === 'anthropic' ? { 'request-id': requestId } : { 'x-request-id': requestId }),
      ...headers,
    });
    response.end(body);
  };

  const handleRoute = async (
    request: IncomingMessage,
    response: ServerResponse,
    route: Route,
    raw: Buffer,
    record: RecordedRequest,
  ): Promise<void> => {
    let body: Record<string, unknown>;
    let form: MultipartForm | null = null;
    if (route.body === 'multipart') {
      const contentType = request.headers['content-type'] ?? '';
      if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
        throw new EmulatorRequestError(400, 'This endpoint expects multipart/form-data.');
      }
      form = parseMultipartForm(raw, contentType);
      body = { ...form.fields };
      record.body = { ...form.fields, ...form.files };
      record.multipartFields = form.names;
    } else {
      body = parseJsonBody(raw);
      record.body = body;
    }
    for (const hold of holds)
      if (hold.holds(route.provider, route.endpoint)) await hold.wait(shutdown.signal);
    if (stallsRequest(faults, route.provider, route.endpoint)) {
      await untilClientLeaves(response, shutdown.signal);
      response.destroy();
      return;
    }
    const requestUsage = resolveUsageSettings(usage, request.headers);
    const requestFaults = resolveRequestFaults(faults, request.headers, route.provider, route.endpoint);
    await delay(requestFaults.latencyMs, shutdown.signal);
    if (requestFaults.error) {
      const { status, message, retryAfterSeconds } = requestFaults.error;
      const headers: Record<string, string> =
        retryAfterSeconds !== undefined ? { 'retry-after': String(retryAfterSeconds) } : {};
      respondWithError(response, record, route.provider, status, message, null, headers);
      return;
    }
    const context = new EndpointContext({
      provider: route.provider,
      response,
      body,
      form,
      usage: requestUsage,
      faults: requestFaults,
      record,
      signal: shutdown.signal,
      nextId,
      pathModel: route.model,
    });
    await route.handler(context);
  };

  let url = '';
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://emulator').pathname;
    const route = findRoute(path);
    const provider = route?.provider ?? providerOfPath(path);
    const record: RecordedRequest = {
      provider,
      endpoint: route?.endpoint ?? null,
      method: request.method ?? 'GET',
      path,
      body: undefined,
      headers: sanitizeHeaders(request.headers),
      time: Date.now(),
    };
    requests.push(record);
    try {
      const raw = await readBody(request, maxBodyBytes);
      if (path === '/' && request.method === 'GET') {
        record.status = 200;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(describeEmulator(url)));
        return;
      }
      if (!route) {
        respondWithError(response, record, provider, 404, `Unknown path ${request.method} ${path}.`);
        return;
      }
      if (request.method !== 'POST') {
        respondWithError(
          response,
          record,
          provider,
          405,
          `Method ${request.method} is not allowed on ${path}.`,
        );
        return;
      }
      await handleRoute(request, response, route, raw, record);
    } catch (error) {
      if (error instanceof EmulatorRequestError) {
        respondWithError(response, record, provider, error.status, error.message, error.param);
      } else {
        respondWithError(response, record, provider, 500, `Emulator failure: ${String(error)}`);
      }
    }
  };

  const server = createServer((request, response) => {
    void handle(request, response);
  });
  // Clients (undici closes an idle socket after 4 s) must give up an idle connection before the
  // server does: with Node's 5 s default, a busy machine lets a request meet a socket the server
  // is closing, and the client sees ECONNRESET.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    openaiBaseURL: `${url}/v1`,
    anthropicBaseURL: url + PROVIDER_PREFIXES.anthropic,
    mistralServerURL: url + PROVIDER_PREFIXES.mistral,
    geminiBaseURL: url + PROVIDER_PREFIXES.google,
    requests,
    faults,
    usage,
    reset() {
      requests.length = 0;
      replaceContents(faults, { ...initialFaults });
      replaceContents(usage, { ...initialUsage });
      idCounters.clear();
      for (const hold of holds) hold.release();
      holds.clear();
    },
    holdResponses(filter = {}) {
      const hold = new ResponseHold(filter);
      holds.add(hold);
      return hold;
    },
    callTogether(count, call, filter = {}) {
      const hold = new ResponseHold(filter);
      holds.add(hold);
      return callTogether(hold, count, call);
    },
    close() {
      if (!closing) {
        shutdown.abort();
        closing = new Promise((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
      }
      return closing;
    },
  };
}

/** Resolves when the client closed the connection or the emulator is closing. */
function untilClientLeaves(response: ServerResponse, signal: AbortSignal): Promise<void> {
  if (signal.aborted || response.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      response.off('close', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    response.once('close', done);
  });
}

function describeEmulator(url: string): unknown {
  return {
    name: '@tollgate/emulator',
    openaiBaseURL: `${url}/v1`,
    anthropicBaseURL: url + PROVIDER_PREFIXES.anthropic,
    mistralServerURL: url + PROVIDER_PREFIXES.mistral,
    geminiBaseURL: url + PROVIDER_PREFIXES.google,
    endpoints: [...ROUTES, ...GEMINI_ROUTES].map((route) => ({
      provider: route.provider,
      method: 'POST',
      path: route.path,
    })),
  };
}
