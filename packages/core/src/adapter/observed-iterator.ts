import type { StreamSettlement } from './stream-observer';

/**
 * An iterator over a source's items that shows each to the settlement first and settles
 * before the caller sees the end, the error, or the completed `return()`. It is its own
 * async iterable, so it can stand for an async generator.
 */
export class ObservedIterator<Item> implements AsyncIterableIterator<Item> {
  constructor(
    private readonly source: AsyncIterator<Item>,
    private readonly settlement: StreamSettlement,
    // Holding the stream keeps it alive (and unsettled) while an iterator over it is in use.
    readonly owner?: object,
  ) {}

  async next(): Promise<IteratorResult<Item>> {
    for (;;) {
      let result: IteratorResult<Item>;
      try {
        result = await this.source.next();
      } catch (error) {
        await this.settlement.finish('failed');
        throw error;
      }
      if (result.done) {
        await this.settlement.finish('completed');
        return result;
      }
      const visible = this.settlement.observe(result.value);
      if (this.settlement.ended) await this.settlement.finish('completed');
      if (visible) return result;
    }
  }

  async return(value?: unknown): Promise<IteratorResult<Item>> {
    try {
      if (this.source.return) await this.source.return(value);
    } finally {
      await this.settlement.finish('cancelled');
    }
    return { done: true, value: undefined };
  }

  async throw(error?: unknown): Promise<IteratorResult<Item>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
