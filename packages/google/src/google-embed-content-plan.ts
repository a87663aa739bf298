import type { AdmittedCall, CallPlan } from '@tollgate/core/adapter';
import { convertGoogleUsage } from './convert-google-usage';
import { googleModelId } from './google-model-id';
import { googleEmbedTexts } from './google-prompt';

/**
 * `models.embedContent`: gated on the texts' estimated tokens, recorded from the response's
 * `usageMetadata`. A response without one (the Developer API does not always send it, and
 * `@google/genai` 2.x leaves it out of the response) is recorded from the texts' likely count,
 * marked estimated, with a warning that says so. Never downgraded: another model's vectors
 * cannot be compared with the ones already stored.
 */
const NO_USAGE_METADATA =
  'the embedContent response has no usageMetadata (the Developer API does not always send it, ' +
  'and @google/genai 2.x leaves it out; 3.x keeps it)';

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
      // The texts' likely count, not the gate's upper bound (several times the real count): nothing was generated.
      const fromTexts = { text: '' };
      if (response?.usageMetadata === undefined || response.usageMetadata === null)
        return call.settleVerdict({ problem: NO_USAGE_METADATA }, undefined, fromTexts);
      return call.settleUsage(response.usageMetadata, convertGoogleUsage, fromTexts);
    },
  };
}
