import type { ServerResponse } from 'node:http';
import { delay } from './delay.js';

/** One event of a planned stream; see SseWriter for what each kind means. */
export interface StreamEvent {
  kind: 'preamble' | 'chunk' | 'final';
  /** Serialized as JSON; a string (such as `[DONE]`) is sent as it is. */
  data: unknown;
  /** The SSE `event:` name; no `event:` line when absent. */
  name?: string | undefined;
}

export function preambleEvent(data: unknown, name?: string): StreamEvent {
  return { kind: 'preamble', data, name };
}

export function chunkEvent(data: unknown, name?: string): StreamEvent {
  return { kind: 'chunk', data, name };
}

export function finalEvent(data: unknown, name?: string): StreamEvent {
  return { kind: 'final', data, name };
}

export interface SseWriterOptions {
  /** Delay before each content chunk. */
  chunkDelayMs: number;
  /** Destroy the socket once this many content chunks were written, before any final event. */
  dropAfterChunks: number | null;
  /** Once this many content chunks were written, write nothing more until the client leaves or the emulator closes. */
  stallAfterChunks?: number | null;
  /** Aborted when the emulator closes. */
  signal: AbortSignal;
  headers?: Record<string, string>;
}

/**
 * Writes a server-sent event stream. Events come in three kinds: preamble events
 * (written as they are), content chunks (delayed, counted, and subject to the drop
 * fault) and final events (never written when a drop is configured: the connection
 * is dropped before them).
 */
export class SseWriter {
  readonly #response: ServerResponse;
  readonly #options: SseWriterOptions;
  #chunksWritten = 0;
  #closed = false;

  constructor(response: ServerResponse, options: SseWriterOptions) {
    this.#response = response;
    this.#options = options;
    response.on('close', () => {
      this.#closed = true;
    });
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      ...options.headers,
    });
  }

  /** False once the client went away or the connection was dropped: stop writing. */
  get #open(): boolean {
    return !this.#closed && !this.#response.destroyed;
  }

  /** Writes the events in order and ends the stream, unless the client left or the stream was dropped. */
  async play(events: Iterable<StreamEvent>): Promise<void> {
    for (const event of events) {
      const text = formatEvent(event.data, event.name);
      const written =
        event.kind === 'preamble'
          ? await this.#write(text)
          : event.kind === 'chunk'
            ? await this.#chunk(text)
            : await this.#final(text);
      if (!written) return;
    }
    this.#end();
  }

  async #chunk(text: string): Promise<boolean> {
    const { dropAfterChunks, stallAfterChunks } = this.#options;
    if (dropAfterChunks !== null && this.#chunksWritten >= dropAfterChunks) {
      this.#drop();
      return false;
    }
    if (stallAfterChunks != null && this.#chunksWritten >= stallAfterChunks) return this.#stall();
    await delay(this.#options.chunkDelayMs, this.#options.signal);
    const written = await this.#write(text);
    if (written) this.#chunksWritten += 1;
    return written;
  }

  async #final(text: string): Promise<boolean> {
    if (this.#options.dropAfterChunks !== null) {
      this.#drop();
      return false;
    }
    const { stallAfterChunks } = this.#options;
    if (stallAfterChunks != null && this.#chunksWritten >= stallAfterChunks) return this.#stall();
    return this.#write(text);
  }

  /** Ends the stream; with a drop configured, drops it instead (no final event was written). */
  #end(): void {
    if (!this.#open) return;
    if (this.#options.dropAfterChunks !== null) this.#drop();
    else this.#response.end();
  }

  /** Resolves false once the client went away or the emulator closed; writes nothing. */
  #stall(): Promise<boolean> {
    return new Promise((resolve) => {
      const stop = () => resolve(false);
      if (!this.#open || this.#options.signal.aborted) return stop();
      this.#response.once('close', stop);
      this.#options.signal.addEventListener('abort', stop, { once: true });
    });
  }

  #drop(): void {
    this.#closed = true;
    this.#response.destroy();
  }

  #write(text: string): Promise<boolean> {
    if (!this.#open) return Promise.resolve(false);
    // Waiting for the flush keeps memory bounded and guarantees that the chunks before
    // a drop reach the client before the socket is destroyed.
    return new Promise((resolve) => {
      this.#response.write(text, (error) => resolve(!error && this.#open));
    });
  }
}

function formatEvent(data: unknown, eventName: string | undefined): string {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  return (eventName ? `event: ${eventName}\n` : '') + `data: ${payload}\n\n`;
}
