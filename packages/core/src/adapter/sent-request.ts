import type { BudgetedPromiseClass, SdkPromise, SdkPromiseClass } from './budgeted-promise';

/** The SDK a gated method belongs to: its promise class, extended (`budgetedPromiseClass`), and its client. */
export interface SdkPromiseKind {
  readonly BudgetedPromise: BudgetedPromiseClass<SdkPromiseClass>;
  readonly client: unknown;
}

/** A request the SDK has sent: its own promise, and its response props once they arrived. */
export interface SentRequest {
  readonly inner: SdkPromise;
  /** The response props (response, request options, controller), read without parsing the body. */
  readonly props: unknown;
}

/**
 * The SDK's promise type over a request the adapter sends after a check of its own
 * (`sending`): awaiting it, `.withResponse()` and `.asResponse()` work as on the SDK's
 * promise, and nothing is settled.
 */
export function apiPromiseAfter(sdk: SdkPromiseKind, sending: Promise<SentRequest>): SdkPromise {
  return new sdk.BudgetedPromise(sdk.client, sending.then(outerProps), () => sending.then(innerOf));
}

function innerOf({ inner }: SentRequest): SdkPromise {
  return inner;
}

/**
 * The response props of a request the SDK already sent, without parsing its body. Without the
 * SDK's internal accessor (a future version), rebuilt from `asResponse()`, which does not read
 * the body either.
 */
export function responsePropsOf(inner: SdkPromise): Promise<unknown> {
  const internal = inner as unknown as { _responseProps?: () => Promise<unknown>; responsePromise?: unknown };
  if (typeof internal._responseProps === 'function') return internal._responseProps();
  if (internal.responsePromise instanceof Promise) return internal.responsePromise;
  return inner.asResponse().then((response) => ({
    response,
    options: { method: 'post', path: '' },
    controller: new AbortController(),
    requestLogID: '',
    retryOfRequestLogID: undefined,
    startTime: Date.now(),
  }));
}

/** The props the outer promise is built on: without a tracing span, which belongs to the inner request and ends with it. */
export function outerProps({ props }: SentRequest): unknown {
  const options = (props as { options?: Record<string, unknown> }).options;
  if (options?.__span === undefined) return props;
  return { ...(props as object), options: { ...options, __span: undefined } };
}
