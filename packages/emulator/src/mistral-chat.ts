import type { EndpointContext } from './endpoint-context.js';
import { sendMistralCompletion } from './mistral-completion.js';
import { computeTokenUsage, countPromptTokens, isReasoningEffort } from './usage-model.js';

/** `POST /v1/chat/completions` for Mistral (served under the `/mistral` prefix). */
export async function handleMistralChat(context: EndpointContext): Promise<void> {
  const model = context.requiredString('model');
  const messages = context.requiredArray('messages');
  const usage = computeTokenUsage(
    {
      promptTokens: countPromptTokens({ messages, tools: context.body.tools }),
      outputLimit: context.optionalNumber('max_tokens'),
      reasoningRequested:
        isReasoningEffort(context.body.reasoning_effort) || context.body.prompt_mode === 'reasoning',
    },
    context.usage,
  );
  const choiceCount = Math.max(1, Math.floor(context.optionalNumber('n') ?? 1));
  await sendMistralCompletion(context, model, usage, choiceCount);
}
