import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeStream, fakeStream } from './fake-sdk';
import { observeStream } from './observe-stream';
import type { StreamEnding, StreamObserver } from './stream-observer';

/** An observer that records what it saw and how often it was asked to settle. */
function recorder(
  options: {
    hide?: (item: number) => boolean;
    endAt?: number;
    failSettling?: boolean;
    /** What settling waits for (a store's answer); an ending is recorded once it has arrived. */
    settling?: () => Promise<unknown>;
  } = {},
) {
  const seen: number[] = [];
  const started: StreamEnding[] = [];
  const endings: StreamEnding[] = [];
  const observer: StreamObserver<number> = {
    observe(item) {
      seen.push(item);
      return !options.hide?.(item);
    },
    get ended() {
      return options.endAt !== undefined && seen.length > options.endAt;
    },
    async finish(ending) {
      started.push(ending);
      await options.settling?.();
      endings.push(ending);
      if (options.failSettling) throw new Error('store down');
    },
  };
  return { seen, started, endings, observer };
}

async function readAll<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

const noErrors = { onSettleError: (error: unknown) => expect.unreachable(String(error)) };

describe('observeStream on an SDK Stream (iterator and controller)', () => {
  it('gives the same class over the same controller, the same items, and settles once before the end is seen', async () => {
    const source = fakeStream([1, 2, 3]);
    const { seen, endings, observer } = recorder();
    const stream = observeStream(source, observer, noErrors);
    expect(stream).toBeInstanceOf(FakeStream);
    expect(stream).not.toBe(source);
    expect(stream.controller).toBe(source.controller);
    const received: number[] = [];
    for await (const item of stream) {
      expect(endings).toEqual([]);
      received.push(item);
    }
    expect(received).toEqual([1, 2, 3]);
    expect(seen).toEqual([1, 2, 3]);
    expect(endings).toEqual(['completed']);
  });

  it('hides the items the observer hides', async () => {
    const { observer } = recorder({ hide: (item) => item % 2 === 0 });
    expect(await readAll(observeStream(fakeStream([1, 2, 3, 4, 5]), observer, noErrors))).toEqual([1, 3, 5]);
  });

  it('settles at the item that ends the stream, before the caller sees that item', async () => {
    const { endings, observer } = recorder({ endAt: 1 });
    const received: Array<[number, number]> = [];
    for await (const item of observeStream(fakeStream([1, 2, 3]), observer, noErrors))
      received.push([item, endings.length]);
    expect(received).toEqual([
      [1, 0],
      [2, 1],
      [3, 1],
    ]);
    expect(endings).toEqual(['completed']);
  });

  it('keeps tee() working: both branches see every item, the call is settled once', async () => {
    const { endings, observer } = recorder();
    const [left, right] = observeStream(fakeStream([1, 2, 3]), observer, noErrors).tee();
    expect(await Promise.all([readAll(left), readAll(right)])).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(endings).toEqual(['completed']);
  });

  it('reports a failed settlement to onSettleError and leaves the caller’s stream intact', async () => {
    const settleErrors: unknown[] = [];
    const { observer } = recorder({ failSettling: true });
    const stream = observeStream(fakeStream([1, 2]), observer, {
      onSettleError: (error) => settleErrors.push(error),
    });
    expect(await readAll(stream)).toEqual([1, 2]);
    expect(settleErrors).toEqual([new Error('store down')]);
  });

  it('counts the items the SDK had already received when its controller aborted, which still reach a caller reading on', async () => {
    const controller = new AbortController();
    // As the SDKs do: what was received before the abort is still yielded, then the abort error.
    const source = new FakeStream<number>(async function* () {
      yield* [1, 2, 3, 4, 5];
      throw new Error('Request was aborted.');
    }, controller);
    const { seen, endings, observer } = recorder();
    const stream = observeStream(source, observer, noErrors);
    const received: number[] = [];
    const ended = (async () => {
      for await (const item of stream) {
        received.push(item);
        if (item === 2) controller.abort();
      }
    })();
    await expect(ended).rejects.toThrow('Request was aborted.');
    expect(received).toEqual([1, 2, 3, 4, 5]);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(endings).toEqual(['failed']);
  });

  it('settles a stream aborted through its controller that the caller stops reading, with what it saw', async () => {
    const source = fakeStream([1, 2, 3]);
    const { seen, endings, observer } = recorder();
    const stream = observeStream(source, observer, noErrors) as AsyncIterable<number>;
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    source.controller.abort();
    await expect.poll(() => endings).toEqual(['aborted']);
    expect(seen).toEqual([1]);
  });

  it('whatever the caller does and however the events interleave, settles exactly once before the caller sees the end', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.integer(), { maxLength: 6 }),
        fc.record({
          stopAfter: fc.nat(6),
          stopBy: fc.constantFrom('break', 'abort', 'read-on'),
          sourceFails: fc.boolean(),
          abortMeanwhile: fc.boolean(),
          endAt: fc.option(fc.nat(6), { nil: undefined }),
          failSettling: fc.boolean(),
        }),
        async (scheduler, items, plan) => {
          const failure = new Error('connection reset');
          const controller = new AbortController();
          let index = 0;
          const source = new FakeStream<number>(
            () => ({
              next: () =>
                scheduler.schedule(Promise.resolve(), 'source next').then(() => {
                  if (controller.signal.aborted) throw new Error('Request was aborted.');
                  if (index < items.length) return { done: false, value: items[index++]! };
                  if (plan.sourceFails) throw failure;
                  return { done: true, value: undefined };
                }),
              return: () =>
                scheduler.schedule(
                  Promise.resolve({ done: true as const, value: undefined }),
                  'source return',
                ),
            }),
            controller,
          );
          const settleErrors: unknown[] = [];
          const { started, endings, observer } = recorder({
            endAt: plan.endAt,
            failSettling: plan.failSettling,
            settling: () => scheduler.schedule(Promise.resolve(), 'store answers'),
          });
          const stream = observeStream(source, observer, {
            onSettleError: (error) => settleErrors.push(error),
          });
          if (plan.abortMeanwhile)
            scheduler.schedule(Promise.resolve(), 'abort').then(() => controller.abort());

          const received: number[] = [];
          const reading = (async () => {
            try {
              for await (const item of stream) {
                received.push(item);
                if (received.length !== plan.stopAfter) continue;
                if (plan.stopBy === 'break') break;
                if (plan.stopBy === 'abort') controller.abort();
              }
            } catch (error) {
              return error;
            } finally {
              // Whatever ended the reading, the call is settled by the time the caller sees it.
              expect(endings).toHaveLength(1);
            }
            return undefined;
          })();
          await scheduler.waitFor(reading);
          const callerError = await reading;

          expect(started).toHaveLength(1);
          expect(endings).toHaveLength(1);
          expect(received).toEqual(items.slice(0, received.length));
          expect(settleErrors).toEqual(plan.failSettling ? [new Error('store down')] : []);
          // The caller sees the source's own error, never a settlement's.
          if (callerError !== undefined)
            expect([failure.message, 'Request was aborted.']).toContain((callerError as Error).message);
          if (!controller.signal.aborted && plan.stopBy === 'read-on' && !plan.sourceFails) {
            expect(received).toEqual(items);
            expect(endings).toEqual(['completed']);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('observeStream on an async generator', () => {
  it('gives an async iterable iterator over the same items, settled when the caller leaves', async () => {
    const { endings, observer } = recorder();
    async function* numbers() {
      yield* [1, 2, 3];
    }
    const stream = observeStream(numbers(), observer, noErrors);
    const received: number[] = [];
    for await (const item of stream) {
      received.push(item);
      if (item === 2) break;
    }
    expect(received).toEqual([1, 2]);
    expect(endings).toEqual(['cancelled']);
  });
});

describe('a stream dropped unread', () => {
  it('is settled as abandoned once it is garbage-collected', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { endings, observer } = recorder();
    (() => {
      observeStream(fakeStream([1, 2, 3]), observer, noErrors);
    })();
    for (let attempt = 0; attempt < 50 && endings.length === 0; attempt++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(endings).toEqual(['abandoned']);
  });
});
