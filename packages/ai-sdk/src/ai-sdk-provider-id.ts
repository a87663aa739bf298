import { validateId } from '@tollgate/core';

/**
 * The AI SDK's provider names that the bundled price data spells differently. Every other name
 * is taken as it is: `openai`, `anthropic`, `google`, `mistral`, `groq`, `deepseek`, `fireworks`,
 * `perplexity`, `cerebras`, `azure`, `cohere`… are the price data's ids already.
 */
const PRICE_DATA_IDS: Readonly<Record<string, string>> = {
  xai: 'x-ai',
  togetherai: 'together',
  'amazon-bedrock': 'aws',
};

/** The provider of a model whose `provider` is not a usable id: its own provider, priced as unpriced. */
export const UNKNOWN_AI_SDK_PROVIDER = 'ai-sdk-unknown';

/**
 * The tollgate provider id of an AI SDK model, from the `provider` it reports: the name before
 * the first dot (`openai.chat` and `openai.responses` are `openai`, `anthropic.messages` is
 * `anthropic`, `google.generative-ai` and `google.vertex.chat` are `google`), spelled as the
 * bundled price data spells it (`xai` is `x-ai`, `togetherai` is `together`, `amazon-bedrock`
 * is `aws`). An OpenAI-compatible provider reports the `name` it was created with
 * (`createOpenAICompatible({ name: 'groq', … })` is `groq`). A name the price data does not know
 * stays its own provider, priced as unpriced (never $0).
 */
export function aiSdkProviderId(modelProvider: unknown): string {
  if (typeof modelProvider !== 'string') return UNKNOWN_AI_SDK_PROVIDER;
  const dot = modelProvider.indexOf('.');
  const name = (dot === -1 ? modelProvider : modelProvider.slice(0, dot)).toLowerCase();
  const id = PRICE_DATA_IDS[name] ?? name;
  try {
    return validateId(id, 'provider');
  } catch {
    return UNKNOWN_AI_SDK_PROVIDER;
  }
}
