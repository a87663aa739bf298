import { createUsage } from '@tollgate/core';
import type { AdmittedCall, CallPlan, PlannedGate } from '@tollgate/core/adapter';
import { mistralOcrPageCount } from './mistral-ocr-pages';
import type { MistralRuntime } from './mistral-wrap-options';

/** The model an OCR request without one is served by. */
export const DEFAULT_MISTRAL_OCR_MODEL = 'mistral-ocr-latest';

interface OcrResponse {
  model?: unknown;
  pages?: unknown;
  usageInfo?: { pagesProcessed?: unknown };
}

/**
 * `ocr.process`: gated on the pages the request names (an image is one page; a whole
 * document reserves `assumedPages`), recorded from `usageInfo.pagesProcessed`.
 */
export function planOcr(request: Record<string, unknown>, runtime: MistralRuntime): CallPlan {
  const gate: PlannedGate = {
    model: typeof request.model === 'string' ? request.model : DEFAULT_MISTRAL_OCR_MODEL,
    service: 'ocr',
    pages: mistralOcrPageCount(request) ?? runtime.assumedPages,
  };
  return {
    gate,
    downgradable: true,
    settle(response: OcrResponse | undefined, call: AdmittedCall) {
      const details = { servedModel: response?.model };
      const processed = response?.usageInfo?.pagesProcessed;
      if (typeof processed === 'number' && Number.isInteger(processed) && processed > 0)
        return call.settle(createUsage({ pages: processed, raw: response?.usageInfo }), details);
      const returned = Array.isArray(response?.pages) ? response.pages.length : 0;
      const pages = returned > 0 ? returned : call.admission.estimate.usage.pages;
      return call.settle(createUsage({ pages }), { ...details, estimated: true });
    },
  };
}
