/** A stream an adapter observes that is still open. */
export interface OpenStream {
  /** Settles the stream from what it received, as one dropped unread, and lets go of its source. */
  settleAtClose(): Promise<unknown>;
}

/**
 * The adapters' streams still open: `close()` settles each from what it received, so that a
 * stream neither read to its end nor left nor collected yet is recorded rather than left to
 * its hold's lease (and so never charged).
 */
export class OpenStreams {
  readonly #open = new Set<OpenStream>();

  add(stream: OpenStream): void {
    this.#open.add(stream);
  }

  delete(stream: OpenStream): void {
    this.#open.delete(stream);
  }

  /** Settles every stream still open, including those opened meanwhile. */
  async settleAll(): Promise<void> {
    while (this.#open.size > 0) {
      const open = [...this.#open];
      this.#open.clear();
      await Promise.allSettled(open.map((stream) => stream.settleAtClose()));
    }
  }
}
