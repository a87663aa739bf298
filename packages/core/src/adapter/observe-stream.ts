import type { AdmittedCall } from './admitted-call';
import { ObservedIterator } from './observed-iterator';
import { type StreamObserver, StreamSettlement } from './stream-observer';
import { tapReadableStream } from './tap-readable-stream';

/** A stream class built from an iterator factory and a controller (the `Stream` of the openai and Anthropic SDKs). */
interface ControlledStream<Item> extends AsyncIterable<Item> {
  readonly controller: AbortController;
}
type ControlledStreamClass<Item> = new (
  iterator: () => AsyncIterator<Item>,
  controller: AbortController,
  client?: unknown,
) => ControlledStream<Item>;

/** How `observeStream` reports a failed settlement and which call and client the stream belongs to. */
export interface ObserveStreamOptions {
  /** Receives a settlement error no caller can receive: the caller's stream stays intact. */
  onSettleError(error: unknown): void;
  /** The SDK client a rebuilt `Stream` passes on to its `tee()` branches. */
  readonly client?: unknown;
  /** The call the stream settles: after a failed settlement its hold is settled at the estimate or released, never left to its lease. */
  readonly call?: AdmittedCall;
}

/**
 * Whether a result is a stream the kit can observe: any async iterable, `ReadableStream`s
 * included (their async iteration is checked, not their class: reading the global
 * `ReadableStream` on every call costs more).
 */
export function isObservableStream(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

/**
 * The same kind of stream over the same request, with exactly the same items, whose items an
 * observer sees first and whose call is settled exactly once: at its end (or its last item),
 * on an error, when the caller leaves it, when its controller aborts, and at the latest when
 * it is garbage-collected unread.
 *
 * - A `ReadableStream` (Mistral's `EventStream`) comes back as the same class.
 * - A `Stream` built from an iterator and a controller (openai, Anthropic) comes back as the
 *   same class over the same `controller`: `tee()`, `toReadableStream()` and
 *   `controller.abort()` keep working because they all go through the iterator.
 * - Any other async iterable (an async generator) comes back as an async iterable iterator.
 */
export function observeStream<S>(source: S, observer: StreamObserver<any>, options: ObserveStreamOptions): S {
  const settlement = new StreamSettlement(observer, options.onSettleError, options.call);
  if (source instanceof ReadableStream) return tapReadableStream(source, settlement) as S;
  const iterable = source as unknown as AsyncIterable<unknown>;
  const controller = (source as { controller?: unknown }).controller;
  if (!(controller instanceof AbortController)) {
    const iterator = new ObservedIterator(iterable[Symbol.asyncIterator](), settlement);
    settlement.watch(iterator);
    return iterator as S;
  }
  controller.signal.addEventListener('abort', settlement, { once: true });
  const StreamClass = (source as object).constructor as ControlledStreamClass<unknown>;
  let stream: object | undefined;
  const iterate = () => new ObservedIterator(iterable[Symbol.asyncIterator](), settlement, stream);
  stream = new StreamClass(iterate, controller, options.client);
  settlement.watch(stream);
  return stream as S;
}
