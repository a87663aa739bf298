import type {
  ReadableStreamDefaultController,
  ReadableStreamReadResult,
  UnderlyingSource,
} from 'node:stream/web';
import type { StreamSettlement } from './stream-observer';

/**
 * A stream of the same class as `stream` (an SDK's `ReadableStream` subclass, so that
 * `instanceof`, `for await`, `getReader()` and `tee()` work unchanged) with exactly the same
 * items, each shown to the settlement first; the call is settled before the caller sees the
 * end, the error, or the completed `cancel()`.
 *
 * The new stream is built by the platform's `ReadableStream` constructor with the original's
 * class as `new.target`: such SDK classes add no state of their own, and this needs no import
 * of the SDK.
 */
export function tapReadableStream<S extends ReadableStream<unknown>>(
  stream: S,
  settlement: StreamSettlement,
): S {
  const reader = stream.getReader();
  const source: UnderlyingSource<unknown> = {
    async pull(controller: ReadableStreamDefaultController<unknown>) {
      let result: ReadableStreamReadResult<unknown>;
      try {
        result = await reader.read();
      } catch (error) {
        await settlement.finish('failed');
        controller.error(error);
        return;
      }
      if (result.done) {
        await settlement.finish('completed');
        controller.close();
        return;
      }
      const visible = settlement.observe(result.value);
      if (settlement.ended) await settlement.finish('completed');
      if (visible) controller.enqueue(result.value);
    },
    async cancel(reason: unknown) {
      try {
        await reader.cancel(reason);
      } finally {
        await settlement.finish('cancelled');
      }
    },
  };
  settlement.onAbandon = () => {
    reader.cancel('abandoned').catch(() => {});
  };
  const streamClass = typeof stream.constructor === 'function' ? stream.constructor : ReadableStream;
  const tapped = Reflect.construct(ReadableStream, [source, { highWaterMark: 0 }], streamClass) as S;
  settlement.watch(tapped);
  return tapped;
}
