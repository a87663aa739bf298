import type { EndpointContext } from './endpoint-context.js';
import { sendMistralCompletion } from './mistral-completion.js';
import { computeTokenUsage, countPromptTokens } from './usage-model.js';

/** `POST /v1/fim/completions`: prompt and suffix count as one message. */
export async function handleMistralFim(context: EndpointContext): Promise<void> {
  const model = context.requiredString('model');
  const prompt = context.requiredString('prompt');
  const suffix = typeof context.body.suffix === 'string' ? context.body.suffix : '';
  const usage = computeTokenUsage(
    {
      promptTokens: countPromptTokens({ messages: [prompt + suffix] }),
      outputLimit: context.optionalNumber('max_tokens'),
    },
    context.usage,
  );
  await sendMistralCompletion(context, model, usage, 1);
}
