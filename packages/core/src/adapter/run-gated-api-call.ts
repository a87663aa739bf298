import type { AdapterRuntime } from './adapter-runtime';
import { admitCall } from './admit-call';
import type { AdmittedCall } from './admitted-call';
import type { SdkPromise } from './budgeted-promise';
import type { CallPlanner } from './call-plan';
import { isObservableStream } from './observe-stream';
import type { MethodWrapper } from './proxy-client';
import { finishCall, type SdkMethod, withRequest } from './run-gated-call';
import { outerProps, responsePropsOf, type SdkPromiseKind, type SentRequest } from './sent-request';
import { settleFromRawResponse } from './settle-from-raw-response';

interface Started extends SentRequest {
  readonly call: AdmittedCall | undefined;
}

// A call whose promise the caller drops without taking its result was still sent and billed:
// it is settled from its response when the promise is garbage-collected.
const unread = new FinalizationRegistry<GatedApiCall>((gated) => gated.settleUnread());

/**
 * Runs one call of an SDK method that returns an `APIPromise` (openai, Anthropic): returns the
 * SDK's promise type at once, as the SDK does, while the gate runs before the request is sent.
 * The call is settled from the parsed result when the caller awaits it (or `withResponse()`),
 * from a copy of the raw response when the caller takes `asResponse()` alone, and from its
 * response when the promise is dropped unread. A refusal rejects before anything is sent; an SDK
 * error rejects as the same object, after the hold was given back; a body that cannot be read
 * after a successful response is billed at the input estimate.
 */
export function runGatedApiCall<Runtime extends AdapterRuntime>(
  runtime: Runtime,
  planner: CallPlanner<Runtime>,
  resource: object,
  method: SdkMethod<SdkPromise>,
  args: unknown[],
  sdk: SdkPromiseKind,
): SdkPromise {
  const request = args[0];
  if (request === null || typeof request !== 'object') return method.apply(resource, args);
  const gated = new GatedApiCall(runtime, sdk.client);
  gated.started = gated.start(planner, resource, method, args);
  const promise = new sdk.BudgetedPromise(
    sdk.client,
    gated.started.then(outerProps),
    () => gated.parse(),
    (response) => gated.takeRaw(response),
  );
  unread.register(promise, gated, gated);
  return promise;
}

/** Gates an SDK method that returns an `APIPromise`: what `proxyClient` puts in its place. */
export function gatedApiMethod<Runtime extends AdapterRuntime>(
  runtime: Runtime,
  planner: CallPlanner<Runtime>,
  sdk: SdkPromiseKind,
): MethodWrapper {
  return (original, resource) =>
    (...args: unknown[]) =>
      runGatedApiCall(runtime, planner, resource, original as SdkMethod<SdkPromise>, args, sdk);
}

class GatedApiCall {
  started!: Promise<Started>;
  private call: AdmittedCall | undefined;
  private taken = false;

  constructor(
    private readonly runtime: AdapterRuntime,
    private readonly client: unknown,
  ) {}

  async start(
    planner: CallPlanner<any>,
    resource: object,
    method: SdkMethod<SdkPromise>,
    args: unknown[],
  ): Promise<Started> {
    const call = await admitCall(this.runtime, planner, args[0] as object, args[1], resource);
    if (call === undefined) {
      const inner = method.apply(resource, args);
      return { inner, props: await responsePropsOf(inner), call };
    }
    this.call = call;
    try {
      const inner = method.apply(resource, withRequest(args, call.sentRequest()));
      return { inner, props: await responsePropsOf(inner), call };
    } catch (error) {
      await call.release().catch(this.runtime.options.onSettleError);
      throw error;
    }
  }

  async parse(): Promise<unknown> {
    this.take();
    const { inner, call } = await this.started;
    if (call === undefined) return inner;
    let result: unknown;
    try {
      result = await inner;
    } catch (error) {
      await call.settleFromOutput({ text: '' }).catch(this.runtime.options.onSettleError);
      throw error;
    }
    return finishCall(call, result, this.client);
  }

  takeRaw(response: Response): void {
    this.take();
    const call = this.call;
    if (call === undefined) return;
    // Copied now, before the caller reads a byte of the body.
    const copy = response.clone();
    this.started
      .then(({ inner }) => {
        // Lets an SDK that traces requests end the inner request's span, which otherwise ends with a parse.
        inner.asResponse().catch(() => undefined);
        return settleFromRawResponse(copy, call);
      })
      .catch(this.runtime.options.onSettleError);
  }

  /**
   * The caller takes the result: the registry lets go of this call at once, so that it and the
   * response it holds die young instead of living until the caller's promise is collected.
   */
  private take(): void {
    if (this.taken) return;
    this.taken = true;
    unread.unregister(this);
  }

  settleUnread(): void {
    if (this.taken) return;
    this.started.then(
      (started) => this.settleFromUnread(started).catch(this.runtime.options.onSettleError),
      () => {
        // Refused or failed before a response: nothing is held.
      },
    );
  }

  private async settleFromUnread({ inner, call }: Started): Promise<void> {
    if (call === undefined) return;
    let result: unknown;
    try {
      result = await inner;
    } catch {
      await call.settleFromOutput({ text: '' });
      return;
    }
    const received = await finishCall(call, result, this.client);
    if (call.plan.stream && isObservableStream(received)) {
      for await (const _item of received as AsyncIterable<unknown>) {
        // Read to the end: the usage comes last.
      }
    }
  }
}
