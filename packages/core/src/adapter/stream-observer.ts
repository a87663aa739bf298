import type { OpenStream } from '../index';
import type { AdmittedCall } from './admitted-call';
import { recoverFromSettleError } from './recover-from-settle-error';
import { settleInBackground } from './settle-in-background';

const DONE = Promise.resolve();

/**
 * How an observed stream ended: read to its end or to its last item (`completed`), failed
 * (a dropped connection, an abort surfacing as an error), left by the caller (`cancelled`:
 * `break`, `return()`, `cancel()`), aborted through its controller, or dropped unread and
 * garbage-collected (`abandoned`).
 */
export type StreamEnding = 'completed' | 'failed' | 'cancelled' | 'aborted' | 'abandoned';

/** What an adapter reads from one stream of one call. */
export interface StreamObserver<Item> {
  /**
   * Sees every item, in order, before the caller does. Returns `false` for an item the caller
   * must not see (one the wrapper asked for, such as a usage chunk). A throw is ignored:
   * metering never changes what the caller receives.
   */
  observe(item: Item): unknown;
  /** True once the stream has said what settles it (its final usage, its stop event): the call is settled before that item reaches the caller. */
  readonly ended?: boolean;
  /** Settles the call from what was seen: the usage when it came, else an estimate. Called exactly once. */
  finish(ending: StreamEnding): Promise<unknown>;
}

// A stream the caller drops without reading it to the end or cancelling it is settled when it
// is garbage-collected: a forgotten stream is still recorded (as estimated).
const abandoned = new FinalizationRegistry<StreamSettlement>((settlement) => settlement.abandon());

/**
 * Settles one stream exactly once, whichever comes first: its end, an error, the caller
 * leaving, an abort, or garbage collection. A settlement error never reaches the caller's
 * stream (its events were delivered; the provider billed them): it goes to `onSettleError`,
 * and the call's hold is settled at the estimate or released (`recoverFromSettleError`).
 */
export class StreamSettlement implements OpenStream {
  #finished: Promise<void> | undefined;
  /** Called when the stream is dropped unread, to let go of the source as well. */
  onAbandon: (() => void) | undefined;

  constructor(
    private readonly observer: StreamObserver<unknown>,
    private readonly onSettleError: (error: unknown) => void,
    /** The call the stream belongs to: after a failed settlement, its hold is settled at the estimate or released. */
    private readonly call?: AdmittedCall,
  ) {
    // A budget built by another copy of core may not keep open streams.
    if (typeof call?.runtime.budget.trackOpenStream === 'function') call.runtime.budget.trackOpenStream(this);
  }

  /** Settles the stream at the latest when `stream` is garbage-collected. `stream` must not be reachable from this object. */
  watch(stream: object): void {
    abandoned.register(stream, this, this);
  }

  /**
   * Settles the stream once, however it ended; later calls return the first settlement. With
   * `settle: 'background'` the stream does not wait for it: the budget keeps it instead.
   */
  finish(ending: StreamEnding): Promise<void> {
    if (this.#finished === undefined) {
      abandoned.unregister(this);
      this.call?.runtime.budget.forgetOpenStream?.(this);
      this.#finished = this.settle(ending);
      if (this.call?.runtime.options.settle === 'background') {
        settleInBackground(this.call, this.#finished);
        this.#finished = DONE;
      }
    }
    return this.#finished;
  }

  /** Sees an item; true when the caller should see it too. */
  observe(item: unknown): boolean {
    try {
      return this.observer.observe(item) !== false;
    } catch {
      return true;
    }
  }

  /** True once the observer has seen what settles the stream. */
  get ended(): boolean {
    return this.observer.ended === true;
  }

  /** Settles a stream the caller dropped unread (as estimated) and lets go of its source. */
  abandon(): void {
    void this.finish('abandoned');
    this.onAbandon?.();
  }

  /** Settles a stream still open when its budget closes, as one dropped unread (`OpenStream`). */
  settleAtClose(): Promise<void> {
    const settled = this.finish('abandoned');
    this.onAbandon?.();
    return settled;
  }

  /**
   * An abort of the stream's controller (an `EventListener` object, so no closure is made per
   * stream). Settled a turn of the event loop later: the items the SDK had already received still
   * reach a caller reading on, and are counted (the stream then ends, settled with them); a stream
   * the caller stops reading is settled with what it saw.
   */
  handleEvent(): void {
    setTimeout(() => void this.finish('aborted'), 0);
  }

  private async settle(ending: StreamEnding): Promise<void> {
    try {
      await this.observer.finish(ending);
    } catch (error) {
      if (this.call) {
        await recoverFromSettleError(this.call, error, this.onSettleError);
        return;
      }
      try {
        this.onSettleError(error);
      } catch {
        // A failing error handler must not break the caller's stream.
      }
    }
  }
}
