import { type BudgetManager, ValidationError } from '@tollgate/core';
import type { AnthropicRuntime } from './anthropic-admission';
import { resolveAnthropicOptions, type WrapAnthropicOptions } from './anthropic-wrapper-options';
import { budgetMessagesResource } from './anthropic-budgeted-messages';

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
  if (
    client === null ||
    typeof client !== 'object' ||
    client.messages === null ||
    typeof client.messages !== 'object'
  ) {
    throw new ValidationError({
      field: 'client',
      message: 'must be an Anthropic SDK client (with `messages`)',
    });
  }
  if (
    budget === null ||
    typeof budget !== 'object' ||
    typeof (budget as { gate?: unknown }).gate !== 'function'
  ) {
    throw new ValidationError({ field: 'budget', message: 'must be a BudgetManager (createBudget())' });
  }
  const runtime: AnthropicRuntime = { budget, options: resolveAnthropicOptions(options) };
  return budgetClient(client, runtime, options);
}

function budgetClient<TClient extends object>(
  client: TClient,
  runtime: AnthropicRuntime,
  options: WrapAnthropicOptions,
): TClient {
  const bound = new Map<PropertyKey, { original: Function; bound: Function }>();
  const resources = new Map<PropertyKey, { original: object; wrapped: object }>();
  const wrappedClient = () => proxy;

  const wrapResource = (property: PropertyKey, original: object, wrap: (original: object) => object) => {
    const cached = resources.get(property);
    if (cached?.original === original) return cached.wrapped;
    const wrapped = wrap(original);
    resources.set(property, { original, wrapped });
    return wrapped;
  };

  const proxy: TClient = new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property === 'messages' && value !== null && typeof value === 'object') {
        return wrapResource(property, value, (messages) =>
          budgetMessagesResource(messages, runtime, wrappedClient),
        );
      }
      if (property === 'beta' && value !== null && typeof value === 'object') {
        return wrapResource(property, value, (beta) => budgetBetaResource(beta, runtime, wrappedClient));
      }
      if (property === 'withOptions' && typeof value === 'function') {
        // A client derived from this one stays under the same budget.
        return (...args: unknown[]) => budgetClient(value.apply(target, args) as object, runtime, options);
      }
      if (typeof value !== 'function' || property === 'constructor') return value;
      // The client keeps state in private fields, which a method can only reach on the real client.
      const cached = bound.get(property);
      if (cached?.original === value) return cached.bound;
      const method = value.bind(target);
      bound.set(property, { original: value, bound: method });
      return method;
    },
  });
  return proxy;
}

function budgetBetaResource<T extends object>(
  beta: T,
  runtime: AnthropicRuntime,
  wrappedClient: () => object,
): T {
  let messages: { original: object; wrapped: object } | undefined;
  return new Proxy(beta, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property !== 'messages' || value === null || typeof value !== 'object') return value;
      if (messages?.original !== value)
        messages = { original: value, wrapped: budgetMessagesResource(value, runtime, wrappedClient) };
      return messages.wrapped;
    },
  });
}
