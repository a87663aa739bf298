interface PendingOperation {
  readonly deadline: number;
  readonly fail: () => void;
}

/**
 * Rejects store operations that outlive a deadline. One shared interval checks every
 * pending operation, instead of a timer per call: a timer per call costs more than
 * an in-memory reserve itself.
 */
export class DeadlineWatcher {
  private readonly pending = new Set<PendingOperation>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly timeoutMs: number) {}

  watch<T>(operation: Promise<T>, onTimeout: () => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: PendingOperation = {
        deadline: Date.now() + this.timeoutMs,
        fail: () => reject(onTimeout()),
      };
      this.pending.add(entry);
      this.timer ??= this.startTimer();
      operation.then(
        (value) => {
          this.pending.delete(entry);
          resolve(value);
        },
        (error: unknown) => {
          this.pending.delete(entry);
          reject(error);
        },
      );
    });
  }

  private startTimer(): NodeJS.Timeout {
    const timer = setInterval(() => this.expire(), Math.max(5, Math.floor(this.timeoutMs / 10)));
    timer.unref();
    return timer;
  }

  private expire(): void {
    const now = Date.now();
    for (const entry of this.pending) {
      if (entry.deadline > now) continue;
      this.pending.delete(entry);
      entry.fail();
    }
    if (this.pending.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
