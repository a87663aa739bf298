import type { SettledCall, Usage } from '../index';
import type { AdmittedCall } from './admitted-call';
import type { StreamEnding } from './stream-observer';
import { StreamUsageReports } from './stream-usage-reports';
import type { UsageConverter } from './usage-trust';

/**
 * What a stream has delivered of one call, for its settlement: the usage blocks the provider
 * reported, and the generated text, the pieces it came in, the response id and the served model.
 * Text is kept in memory only, to be counted; it is never recorded.
 */
export class StreamedOutput {
  /**
   * A usage already converted, taken as it is when no block was `report`ed; the last one wins.
   * Prefer `report`, which puts the provider's block under the kit's rule.
   */
  usage: Usage | undefined;
  private reports: StreamUsageReports | undefined;
  private readonly texts: string[] = [];
  private pieces = 0;
  private responseId: unknown;
  private servedModel: unknown;

  constructor(private readonly call: AdmittedCall) {}

  /** Keeps the first response id and served model the stream names. */
  identify(responseId: unknown, servedModel: unknown): void {
    this.responseId ??= responseId;
    this.servedModel ??= servedModel;
  }

  /** Keeps the generated texts of one piece (a chunk, a delta): non-empty strings; the piece counts when any was kept. */
  add(...texts: unknown[]): void {
    let kept = false;
    for (const text of texts) {
      if (typeof text === 'string' && text.length > 0) {
        this.texts.push(text);
        kept = true;
      }
    }
    if (!kept) return;
    this.pieces += 1;
    this.reports?.output();
  }

  /**
   * A usage block the stream reported, converted by `convert` (the adapter's mapping). Report it
   * after `add`ing the text of the same item: the last block is the call's usage, trusted when
   * every block was well-formed, none went down, and no output came after it.
   */
  report(block: unknown, convert: UsageConverter): void {
    this.reports ??= new StreamUsageReports(convert, this.call.usageLimits);
    this.reports.report(block);
  }

  /**
   * Settles from the reported usage, else from the output received: at least a token a piece,
   * marked estimated. A stream that completed without any usage is not trusted either (the
   * budget is warned); one that ended early simply had no time to report it.
   */
  settle(ending?: StreamEnding): Promise<SettledCall> {
    const details = { responseId: this.responseId, servedModel: this.servedModel };
    const verdict = this.reports?.verdict();
    if (verdict === undefined && this.usage) return this.call.settle(this.usage, details);
    const output = { text: this.texts.join(''), minimumTokens: this.pieces };
    if (verdict !== undefined) return this.call.settleVerdict(verdict, this.reports?.block, output, details);
    if (ending === 'completed')
      return this.call.settleVerdict({ problem: 'the stream reported no usage' }, undefined, output, details);
    return this.call.settleFromOutput(output, details);
  }
}
