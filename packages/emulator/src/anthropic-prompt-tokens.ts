import type { EndpointContext } from './endpoint-context.js';
import { countPromptTokens } from './usage-model.js';

/** Prompt tokens of a Messages or count_tokens body: messages, the system prompt as one message, tools. */
export function anthropicPromptTokens(context: EndpointContext): number {
  const messages = context.requiredArray('messages');
  return countPromptTokens({ messages, system: context.body.system, tools: context.body.tools });
}
