import type { APIPromise, BaseAnthropic } from '@anthropic-ai/sdk';
import type { Stream } from '@anthropic-ai/sdk/core/streaming';
import { type AnthropicRuntime, admitAnthropicCall, type TokenCountingResource } from './anthropic-admission';
import { BudgetedAPIPromise, outerProps, responsePropsOf } from './anthropic-budgeted-promise';
import { observeStream } from './anthropic-budgeted-stream';
import { surfaceTollgateErrors } from './anthropic-message-stream-errors';
import { settleFromRawResponse } from './anthropic-raw-response';
import { AnthropicSettlement } from './anthropic-settlement';
import { AnthropicStreamUsage } from './anthropic-stream-usage';
import { budgetBatchesResource } from './anthropic-budgeted-batches';

interface MessagesResource extends TokenCountingResource {
  _client: BaseAnthropic;
  batches?: object;
  create(params: unknown, options?: unknown): APIPromise<unknown>;
  stream(params: unknown, options?: unknown): object;
}

// A call whose promise the caller drops without awaiting it was still sent and billed:
// it is settled from its response when the promise is garbage collected.
const unread = new FinalizationRegistry<() => void>((settle) => settle());

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `messages` or `beta.messages` under the budget. `create` (plain and `stream: true`) is
 * gated and settled; `stream()`, `parse()`, tool runners and threads are the SDK's own
 * helpers, which call `create` on this resource (or on the wrapped client), so they are
 * gated and settled through it and behave exactly as unwrapped. `batches` is wrapped;
 * everything else passes through.
 */
export function budgetMessagesResource<T extends object>(
  resource: T,
  runtime: AnthropicRuntime,
  wrappedClient: () => object,
): T {
  const target = resource as unknown as MessagesResource;
  let batches: object | undefined;
  const create = (params: unknown, options?: unknown) => budgetedCreate(target, runtime, params, options);
  let stream: ((params: unknown, options?: unknown) => object) | undefined;
  const proxy: T = new Proxy(resource, {
    get(proxied, property, receiver) {
      switch (property) {
        case 'create':
          return create;
        case 'stream':
          stream ??= (params: unknown, options?: unknown) =>
            surfaceTollgateErrors(target.stream.call(proxy, params, options));
          return stream;
        case 'batches': {
          const original = Reflect.get(proxied, property, receiver);
          if (original === null || typeof original !== 'object') return original;
          batches ??= budgetBatchesResource(original, runtime);
          return batches;
        }
        // The SDK's helpers (tool runners, threads) send their requests through `this._client`.
        case '_client':
          return wrappedClient();
        default:
          return Reflect.get(proxied, property, receiver);
      }
    },
  });
  return proxy;
}

function budgetedCreate(
  target: MessagesResource,
  runtime: AnthropicRuntime,
  params: unknown,
  options: unknown,
): APIPromise<unknown> {
  // Not a request body at all: the SDK reports that itself.
  if (!isRecord(params)) return target.create(params, options);
  const requestOptions = isRecord(options) ? options : undefined;
  const { provider } = runtime.options;
  const streaming = params.stream === true;

  const call = (async () => {
    const admitted = await admitAnthropicCall(runtime, target, params, requestOptions);
    const settlement = new AnthropicSettlement(admitted.admission, runtime.budget, provider);
    try {
      const inner = target.create(admitted.params, options);
      const props = await responsePropsOf(inner);
      return { settlement, inner, props, model: admitted.params.model as string };
    } catch (error) {
      await settlement.release();
      throw error;
    }
  })();

  // Whether the caller took the result (parsed or raw); a call nobody took is settled by `settleUnread`.
  let taken = false;

  const parse = async () => {
    taken = true;
    const { settlement, inner, model } = await call;
    let data: unknown;
    try {
      data = await inner;
    } catch (error) {
      // The API answered with success but the body could not be read: billed, usage unknown.
      await settlement.withoutUsage().catch(() => undefined);
      throw error;
    }
    if (streaming) return meterStream(data as Stream<unknown>, settlement, provider, model, target._client);
    await settlement.message(data as Parameters<AnthropicSettlement['message']>[0]);
    return data;
  };

  const onRawResponse = (response: Response) => {
    taken = true;
    // Copied now, before the caller starts reading the body.
    const copy = response.clone();
    void call
      .then(({ settlement, inner, model }) => {
        // Lets the SDK close the request's tracing span, which otherwise ends with a parse.
        inner.asResponse().catch(() => undefined);
        return settleFromRawResponse(copy, settlement, streaming, provider, model);
      })
      .catch(() => {
        // Nobody awaits this settlement: the caller already has the response.
      });
  };

  const settleUnread = () => {
    if (taken) return;
    void call
      .then(async ({ settlement, inner, model }) => {
        let data: unknown;
        try {
          data = await inner;
        } catch {
          return settlement.withoutUsage();
        }
        if (!streaming) return settlement.message(data as Parameters<AnthropicSettlement['message']>[0]);
        for await (const _event of meterStream(
          data as Stream<unknown>,
          settlement,
          provider,
          model,
          target._client,
        )) {
          // Read to the end: the usage comes last.
        }
      })
      .catch(() => {
        // A refused or failed call holds nothing; a failed settlement has nobody to report to.
      });
  };

  const promise = new BudgetedAPIPromise(
    target._client,
    call.then(({ props }) => outerProps(props)),
    parse,
    onRawResponse,
  );
  unread.register(promise, settleUnread);
  return promise;
}

function meterStream(
  source: Stream<unknown>,
  settlement: AnthropicSettlement,
  provider: string,
  model: string,
  client: BaseAnthropic,
): Stream<unknown> {
  const usage = new AnthropicStreamUsage(provider, model);
  return observeStream(
    source,
    {
      observe: (event) => usage.observe(event),
      isLast: (event) => isRecord(event) && event.type === 'message_stop',
      finish: () =>
        settlement.stream(
          usage.settlement(
            settlement.admission.estimate.likelyInputTokens,
            settlement.admission.estimate.outputTokens,
          ),
        ),
    },
    client,
  );
}
