import { anthropicPromptTokens } from './anthropic-prompt-tokens.js';
import type { EndpointContext } from './endpoint-context.js';

/** `POST /v1/messages/count_tokens`: `{ input_tokens }` by the same formula as messages (cache knobs not included). */
export function handleAnthropicCountTokens(context: EndpointContext): void {
  context.requiredString('model');
  context.sendJson({ input_tokens: context.usage.inputTokens ?? anthropicPromptTokens(context) });
}
