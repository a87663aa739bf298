import type { BaseAnthropic } from '@anthropic-ai/sdk';
import { APIPromise } from '@anthropic-ai/sdk';

export type ResponseProps = Awaited<ConstructorParameters<typeof APIPromise>[1]>;
type ParseResponse<T> = (client: BaseAnthropic, props: ResponseProps) => Promise<T>;
/** What awaiting an `APIPromise<T>` gives: `T` with the SDK's `_request_id`. */
type Parsed<T> = Parameters<NonNullable<Parameters<APIPromise<T>['then']>[0]>>[0];

/**
 * The SDK's own `APIPromise`, so `.withResponse()`, `.asResponse()` and the SDK's
 * helpers that build on it (`parse()`, `stream()`, `_thenUnwrap`) keep working while
 * the gate runs first. It only learns whether the caller takes the parsed result
 * (settled from it) or the raw `Response` alone (settled from a copy of it).
 */
export class BudgetedAPIPromise<T> extends APIPromise<T> {
  #parsing = false;
  readonly #onRawResponse: ((response: Response) => void) | undefined;

  constructor(
    client: BaseAnthropic,
    responsePromise: Promise<ResponseProps>,
    parse: ParseResponse<T>,
    onRawResponse?: (response: Response) => void,
  ) {
    super(client, responsePromise, parse as never);
    this.#onRawResponse = onRawResponse;
  }

  override asResponse(): Promise<Response> {
    const response = super.asResponse();
    if (this.#parsing || !this.#onRawResponse) return response;
    return response.then((raw) => {
      if (!this.#parsing) this.#onRawResponse?.(raw);
      return raw;
    });
  }

  override withResponse(): ReturnType<APIPromise<T>['withResponse']> {
    this.#parsing = true;
    return super.withResponse();
  }

  // biome-ignore lint/suspicious/noThenProperty: an APIPromise is a Promise; awaiting it is how the caller takes the parsed result.
  override then<TResult1 = Parsed<T>, TResult2 = never>(
    onfulfilled?: ((value: Parsed<T>) => TResult1 | PromiseLike<TResult1>) | undefined | null,
    onrejected?: ((reason: any) => TResult2 | PromiseLike<TResult2>) | undefined | null,
  ): Promise<TResult1 | TResult2> {
    this.#parsing = true;
    return super.then(onfulfilled, onrejected);
  }

  override catch<TResult = never>(
    onrejected?: ((reason: any) => TResult | PromiseLike<TResult>) | undefined | null,
  ): Promise<any> {
    this.#parsing = true;
    return super.catch(onrejected);
  }

  override finally(onfinally?: (() => void) | undefined | null): Promise<any> {
    this.#parsing = true;
    return super.finally(onfinally);
  }
}

/**
 * The response props (response, request options, controller) of a request the SDK
 * already sent, without parsing its body. Without the internal accessor (a future
 * SDK), rebuilt from `asResponse()`, which does not read the body either.
 */
export function responsePropsOf(inner: APIPromise<unknown>): Promise<ResponseProps> {
  const internal = inner as unknown as {
    _responseProps?: () => Promise<ResponseProps>;
    responsePromise?: unknown;
  };
  if (typeof internal._responseProps === 'function') return internal._responseProps();
  if (internal.responsePromise instanceof Promise) return internal.responsePromise as Promise<ResponseProps>;
  return inner.asResponse().then(
    (response) =>
      ({
        response,
        options: { method: 'post', path: '' },
        controller: new AbortController(),
        requestLogID: '',
        retryOfRequestLogID: undefined,
        startTime: Date.now(),
      }) as unknown as ResponseProps,
  );
}

/**
 * The props the outer promise hands to the SDK's `APIPromise` logic: without the
 * tracing span, which belongs to the inner request and ends when that is parsed.
 */
export function outerProps(props: ResponseProps): ResponseProps {
  const options = props.options as unknown as Record<string, unknown>;
  if (options?.__span === undefined) return props;
  return { ...props, options: { ...options, __span: undefined } as unknown as ResponseProps['options'] };
}
