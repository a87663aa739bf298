import type { Usage } from '../index';
import type { UsageLimits } from './usage-block-reader';
import { judgeUsage, type UsageConverter, type UsageVerdict } from './usage-trust';

/** The counts a later report of the same stream must not report fewer of: each one is a running total. */
const RUNNING_TOTALS: readonly [string, (usage: Usage) => number][] = [
  ['input tokens', (usage) => usage.input.total],
  ['cache reads', (usage) => usage.input.cacheRead],
  ['cache writes', (usage) => usage.input.cacheWrite],
  ['output tokens', (usage) => usage.output.total],
  ['reasoning tokens', (usage) => usage.output.reasoning],
  ['web searches', (usage) => usage.webSearches],
];

/**
 * The usage reports of one stream, in order. The last one is the call's usage, and it is
 * trusted only when every report was (a malformed one taints the stream), none reports fewer of a
 * count than the one before (usages in a stream are running totals: Anthropic's cumulative
 * `message_delta`, servers that report a usage on every chunk), and no output came after it (a
 * usage sent before content cannot count that content).
 */
export class StreamUsageReports {
  #last: Usage | undefined;
  #block: unknown;
  #problem: string | undefined;
  #reports = 0;
  #outputAfterLast = false;

  constructor(
    private readonly convert: UsageConverter,
    private readonly limits: UsageLimits,
  ) {}

  /** The last block reported, for audit. */
  get block(): unknown {
    return this.#block;
  }

  /** True once the stream has reported a usage. */
  get reported(): boolean {
    return this.#reports > 0;
  }

  /** A usage the stream reported. */
  report(block: unknown): void {
    this.#reports += 1;
    this.#block = block;
    this.#outputAfterLast = false;
    if (this.#problem !== undefined) return;
    const verdict = judgeUsage(block, this.convert, this.limits);
    if (verdict.problem !== undefined) {
      this.#problem = `a usage in the stream: ${verdict.problem}`;
      return;
    }
    if (this.#last !== undefined) {
      for (const [name, read] of RUNNING_TOTALS) {
        if (read(verdict.usage) < read(this.#last)) {
          this.#problem = `a usage in the stream reports fewer ${name} than the one before`;
          return;
        }
      }
    }
    this.#last = verdict.usage;
  }

  /** Output arrived: a usage reported before it does not count it. */
  output(): void {
    if (this.#reports > 0) this.#outputAfterLast = true;
  }

  /** The stream's usage judged, or undefined when it reported none. */
  verdict(): UsageVerdict | undefined {
    if (this.#reports === 0) return undefined;
    if (this.#problem !== undefined) return { problem: this.#problem };
    if (this.#outputAfterLast) return { problem: 'the usage came before output it does not count' };
    return { usage: this.#last as Usage };
  }
}
