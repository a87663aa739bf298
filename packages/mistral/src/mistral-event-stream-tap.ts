import type {
  ReadableStreamDefaultController,
  ReadableStreamReadResult,
  UnderlyingSource,
} from 'node:stream/web';

/** How a tapped stream ended: fully read, failed (network, abort), cancelled by the caller, or dropped unread. */
export type StreamOutcome = 'completed' | 'failed' | 'cancelled' | 'abandoned';

export interface StreamObserver<T> {
  /** Sees every event before the caller does; must not throw (errors are ignored). */
  onEvent(event: T): void;
  /** Runs once, before the caller sees the end, the error or the completed cancel. Must not reject. */
  onFinish(outcome: StreamOutcome): Promise<void>;
}

// A stream the caller drops without reading to the end or cancelling is settled when it
// is garbage-collected, so a forgotten stream is still recorded (as estimated).
const abandoned = new FinalizationRegistry<() => void>((finish) => finish());

/**
 * Returns a stream of the same class as `stream` (the SDK's `EventStream`, so
 * `instanceof`, `for await`, `getReader()`, `tee()` work unchanged) that yields exactly
 * the same event objects, and tells `observer` about each event and about the end.
 *
 * The new stream is built by the platform's `ReadableStream` constructor with the
 * original's class as `new.target`: the SDK class adds no state of its own, and this
 * needs no runtime import of the SDK.
 */
export function tapEventStream<T, S extends ReadableStream<T>>(stream: S, observer: StreamObserver<T>): S {
  const reader = stream.getReader();
  let finished: Promise<void> | undefined;
  const finish = (outcome: StreamOutcome): Promise<void> => {
    if (!finished) {
      abandoned.unregister(token);
      finished = observer.onFinish(outcome);
    }
    return finished;
  };
  const token = {};

  const source: UnderlyingSource<T> = {
    async pull(controller: ReadableStreamDefaultController<T>) {
      let result: ReadableStreamReadResult<T>;
      try {
        result = await reader.read();
      } catch (error) {
        await finish('failed');
        controller.error(error);
        return;
      }
      if (result.done) {
        await finish('completed');
        controller.close();
        return;
      }
      try {
        observer.onEvent(result.value);
      } catch {
        // Metering must never change what the caller receives.
      }
      controller.enqueue(result.value);
    },
    async cancel(reason: unknown) {
      try {
        await reader.cancel(reason);
      } finally {
        await finish('cancelled');
      }
    },
  };

  const streamClass = typeof stream.constructor === 'function' ? stream.constructor : ReadableStream;
  const tapped = Reflect.construct(ReadableStream, [source, { highWaterMark: 0 }], streamClass) as S;
  abandoned.register(
    tapped,
    () => {
      void finish('abandoned');
      reader.cancel('abandoned').catch(() => {});
    },
    token,
  );
  return tapped;
}
