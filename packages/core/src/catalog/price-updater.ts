import type { WarningChannel } from '../warnings/warning-channel';
import { loadPriceDataFile } from './load-price-data-file';
import type { NormalizedPriceUpdateOptions } from './price-update-options';
import { shownUrl } from './price-update-options';
import { type PriceUpdateResult, runPriceUpdate } from './update-price-data';

/** A budget's price updates (`createBudget({ prices: { update } })`), as `budget.priceUpdates`. */
export interface PriceUpdates {
  /** Fetches now, or joins the fetch under way, and resolves to what it did; never rejects. */
  refresh(): Promise<PriceUpdateResult>;
  /** The fetch under way, else the last one's result (`undefined` before any). */
  settled(): Promise<PriceUpdateResult | undefined>;
}

/** After a failed fetch, the next try comes this soon (or after `maxAgeHours`, if sooner). */
const RETRY_MS = 3_600_000;
/** setTimeout's longest delay; a longer wait is made of several. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Loads the cache file at start, then fetches in the background whenever the data in use is
 * older than `maxAgeHours`. Nothing here is ever awaited by a gate: the data in use serves
 * until fresh data has been fetched and checked. Failures go to the budget's warnings.
 */
export class PriceUpdater implements PriceUpdates {
  private readonly options: NormalizedPriceUpdateOptions;
  private readonly warnings: WarningChannel;
  private readonly stopped = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private dueAt = 0;
  private inFlight: Promise<PriceUpdateResult> | undefined;
  private last: PriceUpdateResult | undefined;

  constructor(options: NormalizedPriceUpdateOptions, warnings: WarningChannel) {
    this.options = options;
    this.warnings = warnings;
  }

  start(): void {
    const { cacheFile } = this.options;
    let dueAt = Date.now();
    if (cacheFile !== undefined) {
      try {
        const loaded = loadPriceDataFile(cacheFile, this.options.maxBytes);
        if (loaded) dueAt = loaded.retrievedAt + this.options.maxAgeMs;
      } catch (error) {
        this.warnings.report(
          'TOLLGATE_PRICE_UPDATE',
          cacheFile,
          `the price cache file ${cacheFile} was ignored: ${messageOf(error)}; the bundled prices serve until fresh data is fetched`,
          error,
        );
      }
    }
    this.scheduleAt(dueAt);
  }

  refresh(): Promise<PriceUpdateResult> {
    if (this.stopped.signal.aborted)
      return Promise.resolve({
        updated: false,
        url: shownUrl(this.options.url),
        error: 'the budget was closed',
      });
    this.inFlight ??= runPriceUpdate(this.options, this.stopped.signal).then((result) => {
      this.inFlight = undefined;
      this.last = result;
      this.report(result);
      this.scheduleAt(
        Date.now() + (result.updated ? this.options.maxAgeMs : Math.min(RETRY_MS, this.options.maxAgeMs)),
      );
      return result;
    });
    return this.inFlight;
  }

  settled(): Promise<PriceUpdateResult | undefined> {
    return this.inFlight ?? Promise.resolve(this.last);
  }

  /** Stops the timer and abandons a fetch under way; the data in use stays. */
  close(): void {
    this.stopped.abort();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private scheduleAt(dueAt: number): void {
    if (this.stopped.signal.aborted) return;
    clearTimeout(this.timer);
    this.dueAt = dueAt;
    const delay = dueAt - Date.now();
    if (delay <= 0) {
      this.timer = undefined;
      void this.refresh();
      return;
    }
    this.timer = setTimeout(() => this.scheduleAt(this.dueAt), Math.min(delay, MAX_DELAY_MS));
    // A pending update never keeps the process alive.
    this.timer.unref?.();
  }

  private report(result: PriceUpdateResult): void {
    if (result.error !== undefined && !this.stopped.signal.aborted)
      this.warnings.report(
        'TOLLGATE_PRICE_UPDATE',
        result.url,
        `price data from ${result.url} was not used: ${result.error}; the prices in use stay`,
      );
    else if (result.cacheError !== undefined)
      this.warnings.report(
        'TOLLGATE_PRICE_UPDATE',
        this.options.cacheFile ?? result.url,
        `fresh price data is in use, but the cache file ${this.options.cacheFile} could not be written: ${result.cacheError}`,
      );
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
