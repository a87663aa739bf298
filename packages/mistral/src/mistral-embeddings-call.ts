import { createUsage } from '@tollgate/core';
import { convertMistralUsage } from './convert-mistral-usage';
import type { MistralBudgetGate } from './mistral-budget-gate';
import { responseIdOf } from './mistral-response-id';

type SdkMethod = (request: any, options?: any) => Promise<any>;

/** `embeddings.create`: gated on the inputs' estimated tokens, recorded from `usage.promptTokens`. */
export function meterEmbeddings(gate: MistralBudgetGate, original: SdkMethod): SdkMethod {
  return async (request, requestOptions) => {
    if (typeof request !== 'object' || request === null || typeof request.model !== 'string') {
      return original(request, requestOptions);
    }
    const inputs: unknown[] = Array.isArray(request.inputs) ? request.inputs : [request.inputs];
    const texts = inputs.filter((input): input is string => typeof input === 'string');
    const { model, admission } = await gate.admit({
      model: request.model,
      service: 'embedding',
      prompt: { texts, overheadTokens: 0 },
    });
    const sent = model === request.model ? request : { ...request, model };
    return gate.run(
      admission,
      () => original(sent, requestOptions),
      (response) => {
        const requestId = responseIdOf(response?.id);
        const base = { model: gate.servedModel(response?.model, model), ...(requestId ? { requestId } : {}) };
        const usage = convertMistralUsage(response?.usage);
        if (usage) return { ...base, usage };
        return {
          ...base,
          usage: createUsage({ inputTokens: Math.max(1, admission.estimate.likelyInputTokens) }),
          estimated: true,
        };
      },
    );
  };
}
