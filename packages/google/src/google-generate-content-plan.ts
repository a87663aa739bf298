import { type AdmittedCall, type CallPlan, type PlannedGate, requestWith } from '@tollgate/core/adapter';
import { convertGoogleUsage } from './convert-google-usage';
import { GoogleContentStreamObserver } from './google-content-stream';
import { googlePrompt, googleResponseText } from './google-prompt';
import { googleExactCount, type TokenCountingModels } from './google-prompt-count';
import type { GoogleRuntime } from './google-wrapper-options';
import { googleModelId } from './google-model-id';

type ContentRequest = Record<string, unknown> & { config?: Record<string, unknown> };

interface ContentResponse {
  responseId?: unknown;
  modelVersion?: unknown;
  usageMetadata?: unknown;
}

/**
 * One `generateContent` or `generateContentStream` call: the prompt held at its local upper
 * bound (or counted exactly by `models.countTokens`, as `estimateWith` asks), the worst case
 * reserved with `config.maxOutputTokens` (which bounds thoughts and answer together), and that
 * limit shrunk when the gate clamped the call.
 */
class GenerateContentPlan implements CallPlan {
  readonly downgradable = true;

  constructor(
    readonly gate: PlannedGate,
    private readonly body: ContentRequest,
    readonly countPromptExactly: ((signal: AbortSignal) => Promise<number>) | undefined,
  ) {}

  request(call: AdmittedCall): ContentRequest {
    const clamped = call.clampedOutputTokens;
    if (clamped === undefined) return this.body;
    const config = this.body.config;
    const requested = config?.maxOutputTokens;
    if (typeof requested === 'number' && clamped >= requested) return this.body;
    return requestWith(this.body, { config: requestWith(config ?? {}, { maxOutputTokens: clamped }) });
  }

  stream(call: AdmittedCall): GoogleContentStreamObserver {
    return new GoogleContentStreamObserver(call);
  }

  /** A complete response: its `usageMetadata`, under its response id (untrusted: rebuilt from its text). */
  settle(response: ContentResponse | null | undefined, call: AdmittedCall): Promise<unknown> {
    return call.settleUsage(
      response?.usageMetadata,
      convertGoogleUsage,
      { text: googleResponseText(response) },
      { responseId: response?.responseId, servedModel: response?.modelVersion },
    );
  }
}

/** `models.generateContent`, `models.generateContentStream`. */
export function planGenerateContent(
  request: ContentRequest,
  runtime: GoogleRuntime,
  _requestOptions: unknown,
  models: object,
): CallPlan {
  const prompt = googlePrompt(request);
  const maxOutputTokens = request.config?.maxOutputTokens;
  const gate: PlannedGate = {
    model: googleModelId(request.model),
    service: 'llm',
    text: [...prompt.contentTexts, ...prompt.instructionTexts],
    overheadTokens: prompt.contentMediaTokens + prompt.instructionMediaTokens,
    maxOutputTokens: typeof maxOutputTokens === 'number' ? maxOutputTokens : undefined,
  };
  const exactCount = googleExactCount(
    models as TokenCountingModels,
    request,
    prompt,
    runtime.options.provider,
  );
  return new GenerateContentPlan(gate, request, exactCount);
}
