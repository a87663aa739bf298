/**
 * A point in the load's loop that a test can close: workers that reach it wait there until
 * it opens again, and the test sees how many wait. A worker waiting here has nothing in flight.
 */
export class WorkerBarrier {
  private opened: Promise<void> | undefined;
  private openIt: (() => void) | undefined;
  private waitingNow = 0;

  /** Workers waiting here right now. */
  get waiting(): number {
    return this.waitingNow;
  }

  close(): void {
    if (this.opened) return;
    this.opened = new Promise((resolve) => {
      this.openIt = resolve;
    });
  }

  open(): void {
    this.openIt?.();
    this.opened = undefined;
    this.openIt = undefined;
  }

  /** A worker passes: at once while open, else once the barrier opens. */
  async pass(): Promise<void> {
    const opened = this.opened;
    if (!opened) return;
    this.waitingNow += 1;
    try {
      await opened;
    } finally {
      this.waitingNow -= 1;
    }
  }
}
