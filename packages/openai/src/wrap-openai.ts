import type { BudgetManager } from '@tollgate/core';
import {
  type AdapterRuntime,
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
 * The provider (`openai`, `qwen`, `ollama`) is inferred from the client's `baseURL`
 * unless `options.provider` is given.
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
    { provider: inferOpenAIProvider(client.baseURL), label: 'OpenAI' },
    checkedBudget,
  );
  const runtime: AdapterRuntime = {
    budget: checkedBudget,
    options: resolved,
    // Ollama answers with short ids that repeat: its records keep the admission's id.
    uniqueResponseIds: resolved.provider !== 'ollama',
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
