import type { AdmittedCall, CallPlan } from '@tollgate/core/adapter';
import { convertMistralUsage } from './convert-mistral-usage';
import { unreadableResponseOf } from './mistral-unreadable-response';

/**
 * `embeddings.create`: gated on the inputs' estimated tokens, recorded from `usage.promptTokens`.
 * Never downgraded: another model's vectors would not match the ones already stored.
 */
export function planEmbeddings(request: { model?: unknown; inputs?: unknown }): CallPlan | undefined {
  if (typeof request.model !== 'string') return undefined;
  const inputs: unknown[] = Array.isArray(request.inputs) ? request.inputs : [request.inputs];
  const texts = inputs.filter((input): input is string => typeof input === 'string');
  return {
    gate: { model: request.model, service: 'embedding', text: texts, overheadTokens: 0 },
    settle(response: { id?: unknown; model?: unknown; usage?: unknown } | undefined, call: AdmittedCall) {
      const details = { responseId: response?.id, servedModel: response?.model };
      return call.settleUsage(response?.usage, convertMistralUsage, 'estimate', details);
    },
    async settleFailure(error: unknown, call: AdmittedCall) {
      const response = unreadableResponseOf(error);
      if (response === undefined) return false;
      await this.settle?.(response, call);
      return true;
    },
  };
}
