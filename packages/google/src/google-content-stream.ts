import {
  type AdmittedCall,
  type StreamEnding,
  type StreamObserver,
  StreamedOutput,
} from '@tollgate/core/adapter';
import { convertGoogleUsage } from './convert-google-usage';
import { googleResponseText } from './google-prompt';

interface ContentChunk {
  responseId?: unknown;
  modelVersion?: unknown;
  usageMetadata?: unknown;
}

/**
 * Reads a `generateContentStream`: each chunk's text, and its `usageMetadata` when it has one
 * (running totals; the last chunk's is the call's). A stream cut off before its usage is settled
 * from the text it delivered, under the kit's rules.
 */
export class GoogleContentStreamObserver implements StreamObserver<ContentChunk> {
  private readonly output: StreamedOutput;

  constructor(call: AdmittedCall) {
    this.output = new StreamedOutput(call);
  }

  observe(chunk: ContentChunk): void {
    if (chunk === null || typeof chunk !== 'object') return;
    this.output.identify(chunk.responseId, chunk.modelVersion);
    this.output.add(googleResponseText(chunk));
    // After the chunk's text: its usage counts it.
    if (chunk.usageMetadata !== undefined && chunk.usageMetadata !== null)
      this.output.report(chunk.usageMetadata, convertGoogleUsage);
  }

  finish(ending: StreamEnding): Promise<unknown> {
    return this.output.settle(ending);
  }
}
