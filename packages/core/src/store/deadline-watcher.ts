/** A store operation that must answer by `at` (ms since epoch). */
export interface Deadline {
  readonly at: number;
  /** What the operation is (`reserve`, `commit`…), for the error. */
  readonly what: string;
  readonly reject: (error: unknown) => void;
  pending: boolean;
  previous: Deadline | undefined;
  next: Deadline | undefined;
}

/**
 * Rejects store operations that outlive a deadline. One shared interval checks every
 * pending operation, instead of a timer per call: a timer per call costs more than
 * an in-memory reserve itself. Pending operations are a linked list through their
 * deadlines, so that starting and stopping one costs no allocation and no hashing.
 */
export class DeadlineWatcher {
  private first: Deadline | undefined;
  private last: Deadline | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly timeoutError: (deadline: Deadline) => Error,
  ) {}

  start(what: string, reject: (error: unknown) => void): Deadline {
    const deadline: Deadline = {
      at: Date.now() + this.timeoutMs,
      what,
      reject,
      pending: true,
      previous: this.last,
      next: undefined,
    };
    if (this.last) this.last.next = deadline;
    else this.first = deadline;
    this.last = deadline;
    this.timer ??= this.startTimer();
    return deadline;
  }

  /** The operation answered (in time or not). */
  stop(deadline: Deadline): void {
    if (!deadline.pending) return;
    deadline.pending = false;
    if (deadline.previous) deadline.previous.next = deadline.next;
    else this.first = deadline.next;
    if (deadline.next) deadline.next.previous = deadline.previous;
    else this.last = deadline.previous;
    deadline.previous = undefined;
    deadline.next = undefined;
  }

  private startTimer(): NodeJS.Timeout {
    const timer = setInterval(() => this.expire(), Math.max(5, Math.floor(this.timeoutMs / 10)));
    timer.unref();
    return timer;
  }

  private expire(): void {
    const now = Date.now();
    let deadline = this.first;
    while (deadline) {
      const next = deadline.next;
      if (deadline.at <= now) {
        this.stop(deadline);
        deadline.reject(this.timeoutError(deadline));
      }
      deadline = next;
    }
    if (!this.first && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
