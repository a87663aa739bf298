import type { ServerResponse } from 'node:http';
import { EmulatorRequestError } from './emulator-request-error.js';
import type { RequestFaults } from './fault-injection.js';
import type { MultipartForm } from './multipart-form.js';
import type { Provider } from './provider.js';
import { stringifyJson } from './raw-json.js';
import type { RecordedRequest } from './request-log.js';
import { SseWriter, type StreamEvent } from './sse-writer.js';
import type { UsageSettings } from './usage-model.js';

/** What an endpoint handler gets for one request. */
export class EndpointContext {
  readonly provider: Provider;
  readonly #response: ServerResponse;
  /** The JSON body, or the text fields of a multipart body. */
  readonly body: Record<string, unknown>;
  /** The multipart form, for multipart endpoints. */
  readonly form: MultipartForm | null;
  readonly usage: UsageSettings;
  readonly faults: RequestFaults;
  readonly requestId: string;
  /** The model named in the request's path (Gemini), undefined for the other providers. */
  readonly pathModel: string | undefined;
  readonly #record: RecordedRequest;
  readonly #signal: AbortSignal;
  readonly #nextId: (prefix: string) => string;

  constructor(init: {
    provider: Provider;
    response: ServerResponse;
    body: Record<string, unknown>;
    form: MultipartForm | null;
    usage: UsageSettings;
    faults: RequestFaults;
    record: RecordedRequest;
    signal: AbortSignal;
    nextId: (prefix: string) => string;
    pathModel?: string | undefined;
  }) {
    this.provider = init.provider;
    this.#response = init.response;
    this.body = init.body;
    this.form = init.form;
    this.usage = init.usage;
    this.faults = init.faults;
    this.#record = init.record;
    this.#signal = init.signal;
    this.#nextId = init.nextId;
    this.requestId = init.nextId('req_');
    this.pathModel = init.pathModel;
  }

  /** The next identifier with this prefix (`chatcmpl-emulator-<stamp>-000003`; see `EmulatorOptions.ids`); sequences restart on reset(). */
  nextId(prefix: string): string {
    return this.#nextId(prefix);
  }

  /** Unix time in seconds, as the providers' `created` fields. */
  unixTime(): number {
    return Math.floor(Date.now() / 1000);
  }

  /** Whether the request asked for a stream (JSON `true` or multipart `"true"`). */
  get streaming(): boolean {
    const stream = this.body.stream;
    return stream === true || stream === 'true';
  }

  requiredString(field: string): string {
    const value = this.body[field];
    if (typeof value !== 'string' || value.length === 0) {
      throw new EmulatorRequestError(400, `'${field}' is a required string.`, field);
    }
    return value;
  }

  requiredArray(field: string): unknown[] {
    const value = this.body[field];
    if (!Array.isArray(value)) throw new EmulatorRequestError(400, `'${field}' is a required array.`, field);
    return value;
  }

  optionalNumber(field: string): number | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return undefined;
    const number = typeof value === 'string' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      throw new EmulatorRequestError(400, `'${field}' must be a number.`, field);
    }
    return number;
  }

  #providerHeaders(): Record<string, string> {
    return this.provider === 'anthropic'
      ? { 'request-id': this.requestId }
      : { 'x-request-id': this.requestId };
  }

  sendJson(body: unknown, status = 200, headers: Record<string, string> = {}): void {
    // Only a supplied usage puts raw JSON in a body: every other response takes the plain path.
    const text = this.usage.usageJson === undefined ? JSON.stringify(body) : stringifyJson(body);
    this.#send(status, 'application/json', text, headers);
  }

  sendText(text: string, contentType = 'text/plain; charset=utf-8'): void {
    this.#send(200, contentType, text, {});
  }

  sendBytes(bytes: Buffer, contentType: string): void {
    this.#send(200, contentType, bytes, {});
  }

  /** Responds with a server-sent event stream of these events, applying the stream faults. */
  async sendStream(events: Iterable<StreamEvent>): Promise<void> {
    this.#record.status = 200;
    const writer = new SseWriter(this.#response, {
      chunkDelayMs: this.faults.chunkDelayMs,
      dropAfterChunks: this.faults.dropAfterChunks,
      stallAfterChunks: this.faults.stallAfterChunks,
      signal: this.#signal,
      headers: this.#providerHeaders(),
    });
    await writer.play(events);
  }

  #send(status: number, contentType: string, body: string | Buffer, headers: Record<string, string>): void {
    this.#record.status = status;
    if (this.#response.destroyed) return;
    this.#response.writeHead(status, {
      'content-type': contentType,
      'content-length': String(Buffer.byteLength(body)),
      ...this.#providerHeaders(),
      ...headers,
    });
    this.#response.end(body);
  }
}

export type EndpointHandler = (context: EndpointContext) => Promise<void> | void;
