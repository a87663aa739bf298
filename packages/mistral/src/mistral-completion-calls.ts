import {
  type AdmittedCall,
  type CallPlan,
  type PlannedGate,
  requestWith,
  type StreamEnding,
  type StreamObserver,
  StreamedOutput,
} from '@tollgate/core/adapter';
import { convertMistralUsage } from './convert-mistral-usage';
import {
  chatPrompt,
  completionChunkText,
  completionResponseText,
  fimPrompt,
  type MistralPrompt,
} from './mistral-prompt';
import { unreadableResponseOf } from './mistral-unreadable-response';

type CompletionRequest = Record<string, unknown>;

interface CompletionChunk {
  data?: { id?: unknown; model?: unknown; usage?: unknown };
}

/**
 * A chat or FIM request (`complete`, `parse`, `stream`, `parseStream`): the prompt and
 * `maxTokens × n` reserved; a clamp shrinks `maxTokens`. Any request object is gated: a
 * model that is not a string is then the gate's `ValidationError`, never an ungated call.
 */
class CompletionPlan implements CallPlan {
  readonly gate: PlannedGate;
  readonly choices: number;
  readonly downgradable = true;

  constructor(
    private readonly body: CompletionRequest,
    prompt: MistralPrompt,
  ) {
    const { n, maxTokens } = body;
    this.gate = {
      model: body.model as string,
      service: 'llm',
      text: prompt.texts,
      overheadTokens: prompt.overheadTokens,
      maxOutputTokens: typeof maxTokens === 'number' ? maxTokens : undefined,
    };
    this.choices = typeof n === 'number' && Number.isInteger(n) && n > 1 ? n : 1;
  }

  request(call: AdmittedCall): CompletionRequest {
    const clamped = call.clampedOutputTokens;
    return clamped === undefined ? this.body : requestWith(this.body, { maxTokens: clamped });
  }

  stream(call: AdmittedCall): MistralCompletionStreamObserver {
    return new MistralCompletionStreamObserver(call);
  }

  settle(response: { id?: unknown; model?: unknown; usage?: unknown } | undefined, call: AdmittedCall) {
    const details = { responseId: response?.id, servedModel: response?.model };
    return call.settleUsage(
      response?.usage,
      convertMistralUsage,
      { text: completionResponseText(response) },
      details,
    );
  }

  /** A response the SDK could not read (its usage, often) was still billed: settled from its body. */
  async settleFailure(error: unknown, call: AdmittedCall): Promise<boolean> {
    const response = unreadableResponseOf(error);
    if (response === undefined) return false;
    await this.settle(response, call);
    return true;
  }
}

/** Reads a completion stream: Mistral sends the usage with the last chunk; without it, the streamed text is counted. */
class MistralCompletionStreamObserver implements StreamObserver<CompletionChunk> {
  private readonly output: StreamedOutput;

  constructor(call: AdmittedCall) {
    this.output = new StreamedOutput(call);
  }

  observe(event: CompletionChunk): void {
    const data = event?.data;
    if (!data) return;
    this.output.identify(data.id, data.model);
    this.output.add(completionChunkText(data));
    if (data.usage !== undefined && data.usage !== null) this.output.report(data.usage, convertMistralUsage);
  }

  finish(ending: StreamEnding): Promise<unknown> {
    return this.output.settle(ending);
  }
}

/** `chat.complete`, `chat.parse`, `chat.stream`, `chat.parseStream`. */
export function planChat(request: CompletionRequest): CallPlan {
  return new CompletionPlan(request, chatPrompt(request));
}

/** `fim.complete`, `fim.stream`. */
export function planFim(request: CompletionRequest): CallPlan {
  return new CompletionPlan(request, fimPrompt(request));
}
