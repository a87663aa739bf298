import type { StallFault } from './fault-injection.js';
import type { Provider } from './provider.js';

/** Requests the emulator holds unanswered until the test releases them (`emulator.holdResponses`). */
export interface HeldResponses {
  /** Requests received and waiting for `release()`. */
  readonly waiting: number;
  /** Answers every held request, as it would have been answered, and holds no more. */
  release(): void;
}

/** One `holdResponses` call: which requests it holds, and the held ones' wake-ups. */
export class ResponseHold implements HeldResponses {
  readonly #filter: StallFault;
  readonly #wakeUps = new Set<() => void>();
  #released = false;
  /** Told each time a request starts waiting. */
  onArrival: (() => void) | undefined;

  constructor(filter: StallFault) {
    this.#filter = filter;
  }

  get waiting(): number {
    return this.#wakeUps.size;
  }

  holds(provider: Provider, endpoint: string): boolean {
    return (
      !this.#released &&
      (this.#filter.provider === undefined || this.#filter.provider === provider) &&
      (this.#filter.endpoint === undefined || this.#filter.endpoint === endpoint)
    );
  }

  /** Resolves once released, or once the emulator closes (`signal`). */
  wait(signal: AbortSignal): Promise<void> {
    if (this.#released || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wakeUp = () => {
        this.#wakeUps.delete(wakeUp);
        signal.removeEventListener('abort', wakeUp);
        resolve();
      };
      this.#wakeUps.add(wakeUp);
      signal.addEventListener('abort', wakeUp, { once: true });
      this.onArrival?.();
    });
  }

  release(): void {
    this.#released = true;
    for (const wakeUp of [...this.#wakeUps]) wakeUp();
  }
}
