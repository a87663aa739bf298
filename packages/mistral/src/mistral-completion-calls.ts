import type { Admission, SettleInput, Usage } from '@tollgate/core';
import { convertMistralUsage } from './convert-mistral-usage';
import type { MistralBudgetGate } from './mistral-budget-gate';
import { tapEventStream } from './mistral-event-stream-tap';
import {
  type MistralPrompt,
  chatPrompt,
  completionChunkText,
  completionResponseText,
  fimPrompt,
} from './mistral-prompt';
import { responseIdOf } from './mistral-response-id';

type SdkMethod = (request: any, options?: any) => Promise<any>;
type CompletionKind = 'chat' | 'fim';

// The worst case for `n` choices without `maxTokens` when the catalog knows no limit (core's own default).
const DEFAULT_MAX_OUTPUT_TOKENS = 8_192;

interface PreparedCompletion {
  model: string;
  admission: Admission;
  request: Record<string, unknown>;
}

/** Gates a chat or FIM request: downgrade, estimate, reserve; a clamp shrinks `maxTokens`. */
async function prepare(
  gate: MistralBudgetGate,
  kind: CompletionKind,
  request: Record<string, unknown>,
): Promise<PreparedCompletion> {
  const requested = request.model as string;
  const choices =
    typeof request.n === 'number' && Number.isInteger(request.n) && request.n > 1 ? request.n : 1;
  const prompt: MistralPrompt = kind === 'chat' ? chatPrompt(request) : fimPrompt(request);
  const maxTokens = typeof request.maxTokens === 'number' ? request.maxTokens : undefined;
  let maxOutputTokens = maxTokens === undefined ? undefined : maxTokens * choices;
  if (maxOutputTokens === undefined && choices > 1) {
    const limit =
      gate.budget.catalog.resolve(gate.provider, requested)?.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
    maxOutputTokens = limit * choices;
  }
  const { model, admission } = await gate.admit({
    model: requested,
    service: 'llm',
    prompt,
    ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
  });
  const clampedMaxTokens =
    admission.clamped && admission.maxOutputTokens !== undefined
      ? Math.max(1, Math.floor(admission.maxOutputTokens / choices))
      : undefined;
  if (model === requested && clampedMaxTokens === undefined) return { model, admission, request };
  return {
    model,
    admission,
    request: {
      ...request,
      model,
      ...(clampedMaxTokens === undefined ? {} : { maxTokens: clampedMaxTokens }),
    },
  };
}

/** Any request object is gated: a model that is not a string is then the gate's ValidationError, never an ungated call. */
function isGateable(request: unknown): request is Record<string, unknown> {
  return typeof request === 'object' && request !== null;
}

/** `chat.complete`, `chat.parse`, `fim.complete`: gate, call, record from the response's usage. */
export function meterCompletion(
  gate: MistralBudgetGate,
  kind: CompletionKind,
  original: SdkMethod,
): SdkMethod {
  return async (request, requestOptions) => {
    // Not an object at all: left to the SDK, which rejects it before any HTTP call.
    if (!isGateable(request)) return original(request, requestOptions);
    const prepared = await prepare(gate, kind, request);
    return gate.run(
      prepared.admission,
      () => original(prepared.request, requestOptions),
      (response): SettleInput => {
        const usage = convertMistralUsage(response?.usage);
        const requestId = responseIdOf(response?.id);
        const model = gate.servedModel(response?.model, prepared.model);
        const base = { model, ...(requestId ? { requestId } : {}) };
        if (usage) return { ...base, usage };
        return {
          ...base,
          usage: gate.reconstructedUsage(
            prepared.admission,
            prepared.model,
            completionResponseText(response),
          ),
          estimated: true,
        };
      },
    );
  };
}

/** `chat.stream`, `chat.parseStream`, `fim.stream`: the same `EventStream`, recorded when it ends. */
export function meterCompletionStream(
  gate: MistralBudgetGate,
  kind: CompletionKind,
  original: SdkMethod,
): SdkMethod {
  return async (request, requestOptions) => {
    if (!isGateable(request)) return original(request, requestOptions);
    const prepared = await prepare(gate, kind, request);
    const stream = await gate.call(prepared.admission, () => original(prepared.request, requestOptions));
    let requestId: string | undefined;
    let servedModel: unknown;
    let usage: Usage | undefined;
    const generated: string[] = [];
    return tapEventStream(stream, {
      onEvent(event: { data?: Record<string, unknown> }) {
        const data = event?.data;
        if (!data) return;
        requestId ??= responseIdOf(data.id);
        servedModel ??= data.model;
        const text = completionChunkText(data);
        if (text) generated.push(text);
        usage = convertMistralUsage(data.usage) ?? usage;
      },
      onFinish() {
        const model = gate.servedModel(servedModel, prepared.model);
        const base = { model, ...(requestId ? { requestId } : {}) };
        // Mistral sends the usage with the last chunk: once seen, it is the call's real usage.
        const input: SettleInput = usage
          ? { ...base, usage }
          : {
              ...base,
              usage: gate.reconstructedUsage(prepared.admission, prepared.model, generated.join('')),
              estimated: true,
            };
        return gate.settleStream(prepared.admission, input);
      },
    });
  };
}
