import type { ServiceType } from '@tollgate/core';
import type OpenAI from 'openai';
import type { APIPromise } from 'openai';
import { Stream } from 'openai/core/streaming';
import { BudgetedAPIPromise, responsePropsOf } from './openai-budgeted-promise';
import { OpenAICallAccounting } from './openai-call-accounting';
import { callContextFor } from './openai-call-context';
import type { OpenAIEndpoint, OpenAIEndpointCall, OpenAIWrapState } from './openai-endpoint';

/** `budget.downgradeFor`, present in core versions that have a cost strategy for model choice. */
interface DowngradingBudget {
  downgradeFor?(request: {
    provider: string;
    service: ServiceType;
    model: string;
  }): Promise<{ model: string; reason: string } | undefined>;
}

interface StartedCall {
  inner: APIPromise<unknown>;
  call?: OpenAIEndpointCall;
  accounting?: OpenAICallAccounting;
}

type SdkMethod = (this: unknown, ...args: unknown[]) => APIPromise<unknown>;

/**
 * Runs one call of a gated method: plan, (downgrade), gate, call the SDK with the
 * admitted body, settle. Returns the SDK's `APIPromise` type at once, as the SDK
 * does; the gate runs before the request is sent. An SDK error is passed on as
 * the same object, after the reservation is given back.
 */
export function runGatedCall(
  client: OpenAI,
  resource: object,
  method: SdkMethod,
  endpoint: OpenAIEndpoint,
  state: OpenAIWrapState,
  args: unknown[],
): APIPromise<unknown> {
  const [body, ...rest] = args;
  let started: StartedCall | undefined;
  const starting = (async (): Promise<StartedCall> => {
    const call = await planCall(endpoint, body, state);
    if (!call) return { inner: method.apply(resource, args) };
    const context = callContextFor(state.options);
    const admission = await state.budget.gate({
      ...call.gate,
      provider: state.provider,
      ...(context === undefined ? {} : { context }),
      ...(state.options.onInsufficientBudget === undefined
        ? {}
        : { onInsufficientBudget: state.options.onInsufficientBudget }),
      ...(state.options.minOutputTokens === undefined
        ? {}
        : { minOutputTokens: state.options.minOutputTokens }),
    });
    const accounting = new OpenAICallAccounting(admission, state.budget, state.provider);
    try {
      return { inner: method.call(resource, call.bodyFor(admission), ...rest), call, accounting };
    } catch (error) {
      await accounting.release().catch(state.reportError);
      throw error;
    }
  })().then((value) => {
    started = value;
    return value;
  });

  const releaseOnError = (accounting: OpenAICallAccounting | undefined) => async (error: unknown) => {
    if (accounting) await accounting.release().catch(state.reportError);
    throw error;
  };

  const responseProps = starting.then(({ inner, accounting }) =>
    responsePropsOf(inner).catch(releaseOnError(accounting)),
  );

  const parse = async () => {
    const { inner, call, accounting } = await starting;
    const result = await inner.then(undefined, releaseOnError(accounting));
    return call && accounting ? call.finish(result, accounting) : result;
  };

  const onRawResponse = (response: Response) => {
    if (!started?.call || !started.accounting) return;
    const { call, accounting } = started;
    // Cloned before the caller reads a byte, so that both sides see the whole body.
    const copy = response.clone();
    const finishing = call.finishRaw
      ? call.finishRaw(copy, accounting)
      : finishFromRawResponse(copy, call, accounting);
    finishing.catch(state.reportError);
  };

  return new BudgetedAPIPromise(client, responseProps, parse, onRawResponse);
}

async function planCall(
  endpoint: OpenAIEndpoint,
  body: unknown,
  state: OpenAIWrapState,
): Promise<OpenAIEndpointCall | undefined> {
  const call = await endpoint(body, state);
  if (!call?.downgradable || state.options.downgrade !== true) return call;
  const budget = state.budget as unknown as DowngradingBudget;
  if (typeof budget.downgradeFor !== 'function') return call;
  const choice = await budget.downgradeFor({
    provider: state.provider,
    service: call.gate.service,
    model: call.gate.model,
  });
  if (!choice || choice.model === call.gate.model) return call;
  return endpoint({ ...(body as object), model: choice.model }, state);
}

async function finishFromRawResponse(
  response: Response,
  call: OpenAIEndpointCall,
  accounting: OpenAICallAccounting,
): Promise<void> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('text/event-stream')) {
    const observed = await call.finish(Stream.fromSSEResponse(response, new AbortController()), accounting);
    for await (const _ of observed as AsyncIterable<unknown>) {
      // Reading to the end is what settles the call.
    }
  } else if (type.includes('json')) {
    await call.finish(await response.json(), accounting);
  } else if (type.startsWith('text/')) {
    await call.finish(await response.text(), accounting);
  } else {
    await call.finish(response, accounting);
  }
}
