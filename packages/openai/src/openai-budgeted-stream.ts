import type { Stream } from 'openai/core/streaming';

/** Watches the items of one stream and settles its call. */
export interface OpenAIStreamObserver<Item> {
  /** Sees every item in order; returns false for an item the caller must not see. */
  observe(item: Item): boolean;
  /** True once the final usage has been seen: the call can be settled exactly. */
  readonly complete: boolean;
  /** Settles from what was seen: the usage when it came, else an estimate. Idempotent through the admission. */
  finish(): Promise<unknown>;
}

type StreamConstructor<Item> = new (
  iterator: () => AsyncIterator<Item>,
  controller: AbortController,
  client?: never,
) => Stream<Item>;

/**
 * The same kind of `Stream` over the same request (same class, same `controller`),
 * whose items pass through an observer: `tee()`, `toReadableStream()` and
 * `controller.abort()` keep working because they all go through the iterator.
 * The call is settled when the usage arrives, when the stream ends, fails, or is
 * abandoned (`break`, `controller.abort()`).
 */
export function observeStream<Item>(
  source: Stream<Item>,
  observer: OpenAIStreamObserver<Item>,
  reportError: (error: unknown) => void,
): Stream<Item> {
  let finished: Promise<unknown> | undefined;
  const finish = () => {
    finished ??= observer.finish();
    return finished;
  };
  const finishQuietly = () => {
    finish().catch(reportError);
  };
  source.controller.signal.addEventListener('abort', finishQuietly, { once: true });

  const iterate = (): AsyncIterator<Item> => {
    const iterator = source[Symbol.asyncIterator]();
    return {
      async next() {
        for (;;) {
          let result: IteratorResult<Item>;
          try {
            result = await iterator.next();
          } catch (error) {
            finishQuietly();
            throw error;
          }
          if (result.done) {
            await finish();
            return result;
          }
          const visible = observer.observe(result.value);
          if (observer.complete) await finish();
          if (visible) return result;
        }
      },
      async return(value?: unknown) {
        finishQuietly();
        if (iterator.return) return iterator.return(value);
        return { done: true, value: undefined };
      },
    };
  };

  const StreamClass = source.constructor as StreamConstructor<Item>;
  return new StreamClass(iterate, source.controller);
}
