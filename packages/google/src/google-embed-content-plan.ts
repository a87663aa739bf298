import type { AdmittedCall, CallPlan } from '@tollgate/core/adapter';
import { convertGoogleUsage } from './convert-google-usage';
import { googleModelId } from './google-model-id';
import { googleEmbedTexts } from './google-prompt';

/**
 * `models.embedContent`: gated on the texts' estimated tokens, recorded from the response's
 * `usageMetadata`; a response without one (the Developer API does not always report it) is
 * recorded at the estimate, marked estimated. Never downgraded: another model's vectors cannot
 * be compared with the ones already stored.
 */
export function planEmbedContent(request: { model?: unknown; contents?: unknown }): CallPlan | undefined {
  if (typeof request.model !== 'string') return undefined;
  return {
    gate: {
      model: googleModelId(request.model),
      service: 'embedding',
      text: googleEmbedTexts(request),
      overheadTokens: 0,
    },
    settle(response: { usageMetadata?: unknown } | undefined, call: AdmittedCall) {
      return call.settleUsage(response?.usageMetadata, convertGoogleUsage, 'estimate');
    },
  };
}
