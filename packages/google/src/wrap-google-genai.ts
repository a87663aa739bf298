import type { BudgetManager } from '@tollgate/core';
import {
  type CallPlanner,
  checkBudget,
  checkSdkClient,
  gatedMethod,
  PROMPT_COUNTING_OPTION_KEYS,
  proxyClient,
  type ResourcePlan,
  resolveAdapterOptions,
  resolvePromptCounting,
} from '@tollgate/core/adapter';
import { planEmbedContent } from './google-embed-content-plan';
import { planGenerateContent } from './google-generate-content-plan';
import type { GoogleRuntime, WrapGoogleGenAIOptions } from './google-wrapper-options';

/** A client of `@google/genai` (`GoogleGenAI`): what the wrapper needs of it. */
export interface GoogleGenAIClientLike {
  models: object;
}

/**
 * Puts a `GoogleGenAI` client under a budget. Returns the same client, with the same type, as a
 * proxy: `models.generateContent`, `models.generateContentStream` and `models.embedContent` are
 * gated before the request and recorded from the API's `usageMetadata` after it, and so are a
 * chat's `sendMessage` and `sendMessageStream` (`chats.create`), which send through them;
 * everything else passes through.
 *
 * ```ts
 * const ai = wrapGoogleGenAI(new GoogleGenAI({ apiKey }), budget, { requestType: 'chat' });
 * ```
 */
export function wrapGoogleGenAI<TClient extends GoogleGenAIClientLike>(
  client: TClient,
  budget: BudgetManager,
  options: WrapGoogleGenAIOptions = {},
): TClient {
  checkSdkClient(client, 'google');
  const checkedBudget = checkBudget(budget);
  const runtime: GoogleRuntime = {
    budget: checkedBudget,
    options: resolveAdapterOptions(
      options,
      { provider: 'google', label: 'Gemini', ownOptions: PROMPT_COUNTING_OPTION_KEYS },
      checkedBudget,
    ),
    promptCounting: resolvePromptCounting(options),
  };
  const gated = (planner: CallPlanner<GoogleRuntime>) => gatedMethod(runtime, planner);
  const generate = gated(planGenerateContent);
  const models: ResourcePlan = {
    methods: {
      generateContent: generate,
      generateContentStream: generate,
      embedContent: gated(planEmbedContent),
    },
  };
  return proxyClient(client, {
    resources: {
      models,
      // A chat sends through the `models` its `Chats` was built with (`modelsModule`): created
      // through the proxy, it holds the gated one.
      chats: { resources: { modelsModule: models }, helpers: ['create'] },
    },
  });
}
