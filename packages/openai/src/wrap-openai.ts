import type { BudgetManager } from '@tollgate/core';
import {
  budgetedPromiseClass,
  type CallPlanner,
  checkBudget,
  checkSdkClient,
  gatedApiMethod,
  proxyClient,
  resolveAdapterOptions,
  type SdkPromiseKind,
} from '@tollgate/core/adapter';
import type OpenAI from 'openai';
import { APIPromise } from 'openai';
import { checkDeployments, deploymentModels, isAzureClient, type OpenAIRuntime } from './azure-deployments';
import { inferOpenAIProvider } from './infer-openai-provider';
import { planSpeech } from './openai-audio-speech';
import { planTranscription } from './openai-audio-transcriptions';
import { planChatCompletion } from './openai-chat-completions';
import { planEmbeddings } from './openai-embeddings';
import { planImageGeneration } from './openai-images';
import { planResponse } from './openai-responses';
import type { WrapOpenAIOptions } from './wrap-openai-options';

const BudgetedAPIPromise = budgetedPromiseClass(APIPromise);

/**
 * Puts an OpenAI SDK client under a budget. Returns the same client, with the same
 * type: every gated call is estimated and reserved before it is sent (refused with
 * `BudgetExceededError`, or its output limit clamped), and recorded from the
 * provider's usage afterwards, streams included. Other methods pass through.
 *
 * The provider is `options.provider` when given, else `azure` for an `AzureOpenAI` client
 * (priced by `options.deployments`), else inferred from the client's `baseURL`
 * (`inferOpenAIProvider`: Groq, Together, DeepSeek, OpenRouter, xAI, Qwen, Ollama…; an unknown
 * host is its own, unpriced provider).
 */
export function wrapOpenAI<Client extends OpenAI>(
  client: Client,
  budget: BudgetManager,
  options: WrapOpenAIOptions = {},
): Client {
  checkSdkClient(client, 'openai');
  const checkedBudget = checkBudget(budget);
  const resolved = resolveAdapterOptions(
    options,
    { provider: defaultProvider(client, options), label: 'OpenAI', ownOptions: ['deployments'] },
    checkedBudget,
  );
  const deployments = checkDeployments(options.deployments, resolved.provider);
  const runtime: OpenAIRuntime = {
    budget: checkedBudget,
    options: resolved,
    // Ollama answers with short ids that repeat: its records keep the admission's id.
    uniqueResponseIds: resolved.provider !== 'ollama',
    ...(resolved.provider === 'azure' ? { pricedModel: deploymentModels(client, deployments) } : {}),
  };
  const sdk: SdkPromiseKind = { BudgetedPromise: BudgetedAPIPromise, client };
  const gated = (planner: CallPlanner) => gatedApiMethod(runtime, planner, sdk);
  // SDK helpers (`parse`, `stream`, `runTools`) call `create` through the client: they are gated with it.
  const plan = {
    resources: {
      chat: {
        resources: {
          completions: {
            methods: { create: gated(planChatCompletion) },
            helpers: ['parse', 'stream', 'runTools'],
          },
        },
      },
      responses: { methods: { create: gated(planResponse) }, helpers: ['parse', 'stream'] },
      embeddings: { methods: { create: gated(planEmbeddings) } },
      audio: {
        resources: {
          transcriptions: { methods: { create: gated(planTranscription) } },
          speech: { methods: { create: gated(planSpeech) } },
        },
      },
      images: { methods: { generate: gated(planImageGeneration) } },
    },
  };
  return proxyClient(client, plan, {
    derive: ['withOptions'],
    wrap: (derived) => wrapOpenAI(derived, budget, options),
  });
}

/** The provider of a client when the options name none (reading the price data only then). */
function defaultProvider(client: OpenAI, options: WrapOpenAIOptions): string {
  if (options !== null && typeof options === 'object' && options.provider !== undefined) return 'openai';
  return isAzureClient(client) ? 'azure' : inferOpenAIProvider(client.baseURL);
}
