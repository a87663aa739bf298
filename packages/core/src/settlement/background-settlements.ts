/**
 * Settlements that run behind their calls (an adapter's `settle: 'background'`): the caller
 * has its response, and `flushUsage()` and `close()` wait for these before they answer.
 */
export class BackgroundSettlements {
  readonly #pending = new Set<Promise<unknown>>();

  get size(): number {
    return this.#pending.size;
  }

  add(settling: Promise<unknown>): void {
    this.#pending.add(settling);
    const done = () => {
      this.#pending.delete(settling);
    };
    settling.then(done, done);
  }

  /** Resolves once every settlement added, including those added meanwhile, has ended (fulfilled or not). */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
