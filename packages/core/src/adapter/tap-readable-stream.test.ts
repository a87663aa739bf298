import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { observeStream } from './observe-stream';
import type { StreamEnding, StreamObserver } from './stream-observer';

class EventStreamLike<T> extends ReadableStream<T> {
  override [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return (ReadableStream.prototype as unknown as { [Symbol.asyncIterator](): AsyncIterableIterator<T> })[
      Symbol.asyncIterator
    ].call(this);
  }
}

function source(events: number[], fail?: Error): EventStreamLike<number> {
  let index = 0;
  return new EventStreamLike<number>({
    pull(controller) {
      if (index < events.length) controller.enqueue(events[index++]!);
      else if (fail) controller.error(fail);
      else controller.close();
    },
  });
}

function observe() {
  const seen: number[] = [];
  const outcomes: StreamEnding[] = [];
  const observer: StreamObserver<number> = {
    observe: (event) => void seen.push(event),
    finish: async (ending) => void outcomes.push(ending),
  };
  return { seen, outcomes, observer };
}

const settleErrors: unknown[] = [];
function tapEventStream<S extends ReadableStream<number>>(stream: S, observer: StreamObserver<number>): S {
  return observeStream(stream, observer, { onSettleError: (error) => settleErrors.push(error) });
}

describe('observeStream on a ReadableStream', () => {
  it('keeps the class and the events, and finishes once before the end is seen', async () => {
    const { seen, outcomes, observer } = observe();
    const tapped = tapEventStream(source([1, 2, 3]), observer);
    expect(tapped).toBeInstanceOf(EventStreamLike);
    const received: number[] = [];
    for await (const event of tapped) {
      expect(outcomes).toEqual([]);
      received.push(event);
    }
    expect(received).toEqual([1, 2, 3]);
    expect(seen).toEqual([1, 2, 3]);
    expect(outcomes).toEqual(['completed']);
  });

  it('passes the same error object through after finishing as failed', async () => {
    const failure = new Error('socket hang up');
    const { outcomes, observer } = observe();
    const tapped = tapEventStream(source([1], failure), observer);
    await expect(
      (async () => {
        for await (const _ of tapped) {
          // read on
        }
      })(),
    ).rejects.toBe(failure);
    expect(outcomes).toEqual(['failed']);
  });

  it('finishes as cancelled when the caller breaks, and cancels the source', async () => {
    let cancelled: unknown;
    const upstream = new ReadableStream<number>({
      pull: (controller) => controller.enqueue(1),
      cancel: (reason) => void (cancelled = reason ?? 'cancelled'),
    });
    const { outcomes, observer } = observe();
    for await (const _ of tapEventStream(upstream, observer)) break;
    expect(outcomes).toEqual(['cancelled']);
    expect(cancelled).toBeDefined();
  });

  it('still delivers events when the observer throws', async () => {
    const tapped = tapEventStream(source([1, 2]), {
      observe: () => {
        throw new Error('observer bug');
      },
      finish: async () => {},
    });
    const received: number[] = [];
    for await (const event of tapped) received.push(event);
    expect(received).toEqual([1, 2]);
  });

  it('finishes as abandoned when the caller drops the stream unread', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { outcomes, observer } = observe();
    (() => {
      tapEventStream(source([1, 2, 3]), observer);
    })();
    for (let attempt = 0; attempt < 50 && outcomes.length === 0; attempt++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(outcomes).toEqual(['abandoned']);
  });

  it('whatever the caller does, settles exactly once, after the store answered and before the caller sees the end', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer(), { maxLength: 6 }),
        fc.nat(6),
        fc.constantFrom('break', 'cancel', 'read-on'),
        fc.boolean(),
        async (events, stopAfter, stopBy, sourceFails) => {
          const failure = new Error('socket hang up');
          const started: StreamEnding[] = [];
          const settled: StreamEnding[] = [];
          const tapped = tapEventStream(source(events, sourceFails ? failure : undefined), {
            observe: () => undefined,
            async finish(ending) {
              started.push(ending);
              await new Promise((resolve) => setTimeout(resolve, 1));
              settled.push(ending);
            },
          });
          const reader = tapped.getReader();
          const received: number[] = [];
          let callerError: unknown;
          try {
            for (;;) {
              if (received.length === stopAfter && stopBy !== 'read-on') {
                await reader.cancel(stopBy);
                break;
              }
              const { done, value } = await reader.read();
              if (done) break;
              received.push(value);
            }
          } catch (error) {
            callerError = error;
          }
          expect(settled).toHaveLength(1);
          expect(started).toHaveLength(1);
          expect(received).toEqual(events.slice(0, received.length));
          if (callerError !== undefined) expect(callerError).toBe(failure);
        },
      ),
      { numRuns: 100 },
    );
  });
});
