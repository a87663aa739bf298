import type { EndpointContext } from './endpoint-context.js';
import { geminiContents, geminiModel, geminiPromptTokens } from './gemini-prompt-tokens.js';

/**
 * `POST /v1beta/models/{model}:countTokens`: `{ totalTokens }` of the request's `contents` by the
 * same formula as generateContent (`inputTokens` replaces it). The Developer API counts contents
 * only: a system instruction or tools are not part of this request.
 */
export function handleGeminiCountTokens(context: EndpointContext): void {
  geminiModel(context);
  const totalTokens = context.usage.inputTokens ?? geminiPromptTokens(geminiContents(context));
  context.sendJson({ totalTokens, promptTokensDetails: [{ modality: 'TEXT', tokenCount: totalTokens }] });
}
