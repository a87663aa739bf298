import { createUsage } from '@tollgate/core';
import type { MistralBudgetGate } from './mistral-budget-gate';
import { mistralOcrPageCount } from './mistral-ocr-pages';

type SdkMethod = (request: any, options?: any) => Promise<any>;

/** The model an OCR request without one is served by. */
export const DEFAULT_MISTRAL_OCR_MODEL = 'mistral-ocr-latest';

/**
 * `ocr.process`: gated on the pages the request names (an image is one page; a whole
 * document reserves `assumedPages`), recorded from `usageInfo.pagesProcessed`.
 */
export function meterOcr(gate: MistralBudgetGate, original: SdkMethod): SdkMethod {
  return async (request, requestOptions) => {
    if (typeof request !== 'object' || request === null) return original(request, requestOptions);
    const requested = typeof request.model === 'string' ? request.model : DEFAULT_MISTRAL_OCR_MODEL;
    const { model, admission } = await gate.admit({
      model: requested,
      service: 'ocr',
      pages: mistralOcrPageCount(request) ?? gate.options.assumedPages,
    });
    const sent = model === requested ? request : { ...request, model };
    return gate.run(
      admission,
      () => original(sent, requestOptions),
      (response) => {
        const recorded = gate.servedModel(response?.model, model);
        const processed = response?.usageInfo?.pagesProcessed;
        if (typeof processed === 'number' && Number.isInteger(processed) && processed > 0) {
          return { model: recorded, usage: createUsage({ pages: processed, raw: response.usageInfo }) };
        }
        const returned = Array.isArray(response?.pages) ? response.pages.length : 0;
        const pages = returned > 0 ? returned : admission.estimate.usage.pages;
        return { model: recorded, usage: createUsage({ pages }), estimated: true };
      },
    );
  };
}
