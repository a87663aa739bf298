import type { EndpointContext } from './endpoint-context.js';
import { EmulatorRequestError } from './emulator-request-error.js';
import { countPromptTokens } from './usage-model.js';

/** A Gemini `Content` (`{ role, parts }`) as the emulator counts it: the parts' text. */
function partsOf(content: unknown): unknown {
  return typeof content === 'object' && content !== null && 'parts' in content
    ? (content as { parts: unknown }).parts
    : content;
}

/** The `contents` of a Gemini request body, required and an array (the SDK always sends one). */
export function geminiContents(context: EndpointContext): unknown[] {
  const contents = context.body.contents;
  if (!Array.isArray(contents))
    throw new EmulatorRequestError(
      400,
      '* GenerateContentRequest.contents: contents is not specified',
      'contents',
    );
  return contents;
}

/**
 * Prompt tokens of a Gemini request by the emulator's formula: every content's parts as one
 * message, the system instruction as one more, the tools' JSON. `countTokens` on the Developer
 * API counts `contents` only, as the real endpoint does.
 */
export function geminiPromptTokens(
  contents: readonly unknown[],
  systemInstruction?: unknown,
  tools?: unknown,
): number {
  return countPromptTokens({ messages: contents.map(partsOf), system: partsOf(systemInstruction), tools });
}

/** The model in the request's path (`models/{model}:method`). */
export function geminiModel(context: EndpointContext): string {
  const model = context.pathModel;
  if (model === undefined || model.length === 0)
    throw new EmulatorRequestError(400, 'The model is missing from the path.', 'model');
  return model;
}
