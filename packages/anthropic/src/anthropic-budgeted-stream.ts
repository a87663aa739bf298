import type { Stream } from '@anthropic-ai/sdk/core/streaming';

/** Watches the events of one stream and settles its call. */
export interface StreamObserver<Item> {
  observe(item: Item): void;
  /** Whether this item ends the message (`message_stop`): the call can be settled now. */
  isLast(item: Item): boolean;
  /** Settles from what was seen. Called once. */
  finish(): Promise<unknown>;
}

type StreamConstructor<Item> = new (
  iterator: () => AsyncIterator<Item>,
  controller: AbortController,
  client?: unknown,
) => Stream<Item>;

// A stream the caller never reads to the end nor aborts (dropped after the first
// event, never iterated) is settled when it is garbage collected.
const abandoned = new FinalizationRegistry<() => void>((finish) => finish());

/**
 * The same kind of `Stream` over the same request (same class, same `controller`),
 * whose events pass through an observer: the caller sees exactly the events it would
 * have seen, and `tee()`, `toReadableStream()` and `controller.abort()` keep working
 * because they all go through the iterator. The call is settled at `message_stop`,
 * when the stream ends or fails, when the caller `break`s or aborts, and at the latest
 * when the stream is garbage collected.
 *
 * Settlement errors never replace a provider error: the SDK's error reaches the caller
 * as it is. Settlement errors on a healthy stream reach the caller from the iterator.
 */
export function observeStream<Item>(
  source: Stream<Item>,
  observer: StreamObserver<Item>,
  client: unknown,
): Stream<Item> {
  const { finish, finishQuietly } = finishOnce(observer);
  const token = {};
  let stream: Stream<Item> | undefined;

  const iterate = (): AsyncIterator<Item> => {
    const iterator = source[Symbol.asyncIterator]();
    // Holding the stream keeps it alive (and unsettled) as long as an iterator is in use.
    const owner = stream;
    return {
      async next() {
        let result: IteratorResult<Item>;
        try {
          result = await iterator.next();
        } catch (error) {
          await finish().catch(() => undefined);
          throw error;
        }
        if (result.done) {
          await finish();
          abandoned.unregister(token);
          return result;
        }
        observer.observe(result.value);
        if (observer.isLast(result.value)) {
          await finish();
          abandoned.unregister(token);
        }
        void owner;
        return result;
      },
      async return(value?: unknown) {
        try {
          if (iterator.return) await iterator.return(value);
        } finally {
          await finish();
          abandoned.unregister(token);
        }
        return { done: true, value: undefined };
      },
    };
  };

  source.controller.signal.addEventListener('abort', finishQuietly, { once: true });
  const StreamClass = source.constructor as StreamConstructor<Item>;
  stream = new StreamClass(iterate, source.controller, client);
  abandoned.register(stream, finishQuietly, token);
  return stream;
}

/** Built apart so that the finalizer's callback holds the observer only, never the stream it watches. */
function finishOnce(observer: Pick<StreamObserver<unknown>, 'finish'>) {
  let finished: Promise<unknown> | undefined;
  const finish = () => {
    finished ??= observer.finish();
    return finished;
  };
  const finishQuietly = () => {
    finish().catch(() => {
      // Reported by the iterator when the caller is still reading; otherwise nobody is listening.
    });
  };
  return { finish, finishQuietly };
}
