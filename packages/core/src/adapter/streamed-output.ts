import type { SettledCall, Usage } from '../index';
import type { AdmittedCall } from './admitted-call';

/**
 * What a stream has delivered of one call, for its settlement: the usage once the provider
 * reports it, and until then the generated text, the pieces it came in, the response id and
 * the served model. Text is kept in memory only, to be counted; it is never recorded.
 */
export class StreamedOutput {
  /** The usage the stream reported; the last one wins (some servers report a running usage). */
  usage: Usage | undefined;
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
    if (kept) this.pieces += 1;
  }

  /** Settles from the reported usage, else from the output received: at least a token a piece, marked estimated. */
  settle(): Promise<SettledCall> {
    const details = { responseId: this.responseId, servedModel: this.servedModel };
    if (this.usage) return this.call.settle(this.usage, details);
    return this.call.settleFromOutput({ text: this.texts.join(''), minimumTokens: this.pieces }, details);
  }
}
