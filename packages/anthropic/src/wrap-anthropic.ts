import { APIPromise } from '@anthropic-ai/sdk';
import type { BudgetManager } from '@tollgate/core';
import {
  budgetedPromiseClass,
  checkBudget,
  checkSdkClient,
  gatedApiMethod,
  type MethodWrapper,
  PROMPT_COUNTING_OPTION_KEYS,
  proxyClient,
  type ResourcePlan,
  resolveAdapterOptions,
  resolvePromptCounting,
  type SdkPromiseKind,
} from '@tollgate/core/adapter';
import { batchesPlan } from './anthropic-budgeted-batches';
import { planMessage } from './anthropic-message-plan';
import { surfaceTollgateErrors } from './anthropic-message-stream-errors';
import type { AnthropicRuntime, WrapAnthropicOptions } from './anthropic-wrapper-options';

const BudgetedAPIPromise = budgetedPromiseClass(APIPromise);

/** Any client of the official SDK: `Anthropic`, and the Bedrock, Vertex and Foundry clients built on it. */
export interface AnthropicClientLike {
  messages: object;
}

/**
 * Puts an Anthropic client under a budget. Returns the same client, with the same
 * type, as a proxy: `messages.create` (plain and streamed), `messages.stream()`,
 * `messages.parse()`, `beta.messages.*` and `messages.batches` are gated before the
 * request and recorded from the API's usage after it; everything else passes through.
 *
 * ```ts
 * const anthropic = wrapAnthropic(new Anthropic(), budget, { requestType: 'chat' });
 * ```
 */
export function wrapAnthropic<TClient extends AnthropicClientLike>(
  client: TClient,
  budget: BudgetManager,
  options: WrapAnthropicOptions = {},
): TClient {
  checkSdkClient(client, 'anthropic');
  const checkedBudget = checkBudget(budget);
  const runtime: AnthropicRuntime = {
    budget: checkedBudget,
    options: resolveAdapterOptions(
      options,
      { provider: 'anthropic', label: 'Anthropic', ownOptions: PROMPT_COUNTING_OPTION_KEYS },
      checkedBudget,
    ),
    promptCounting: resolvePromptCounting(options),
  };
  const sdk: SdkPromiseKind = { BudgetedPromise: BudgetedAPIPromise, client };
  const create = gatedApiMethod(runtime, planMessage, sdk);
  // The SDK's stream helper calls `create` on the proxy: gated and settled through it.
  const stream: MethodWrapper =
    (original, _resource, proxy) =>
    (...args: unknown[]) =>
      surfaceTollgateErrors(original.apply(proxy, args));
  // The SDK's helpers (`parse()`, tool runners, threads) run on the proxy, so that what they send is gated.
  const messages: ResourcePlan = {
    methods: { create, stream },
    resources: { batches: batchesPlan(runtime, sdk) },
    helpers: 'all',
  };
  return proxyClient(
    client,
    { resources: { messages, beta: { resources: { messages } } } },
    { derive: ['withOptions'], wrap: (derived) => wrapAnthropic(derived, budget, options) },
  );
}
