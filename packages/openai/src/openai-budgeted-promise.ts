import type OpenAI from 'openai';
import { APIPromise } from 'openai';

type ResponseProps = Awaited<ConstructorParameters<typeof APIPromise>[1]>;
type ParseResponse<T> = (client: OpenAI, props: ResponseProps) => Promise<T>;

/**
 * The SDK's own `APIPromise`, so that `.withResponse()`, `.asResponse()` and the
 * SDK's helpers (`_thenUnwrap`, used by `parse()` and the stream helpers) keep
 * working. It only learns whether the caller takes the parsed result (settled from
 * it) or the raw `Response` alone (settled from a copy of it).
 */
export class BudgetedAPIPromise<T> extends APIPromise<T> {
  #parsing = false;
  readonly #onRawResponse: (response: Response) => void;

  constructor(
    client: OpenAI,
    responsePromise: Promise<ResponseProps>,
    parse: ParseResponse<T>,
    onRawResponse: (response: Response) => void,
  ) {
    super(client, responsePromise, parse as never);
    this.#onRawResponse = onRawResponse;
  }

  override asResponse(): Promise<Response> {
    const response = super.asResponse();
    if (this.#parsing) return response;
    return response.then((raw) => {
      if (!this.#parsing) this.#onRawResponse(raw);
      return raw;
    });
  }

  override withResponse(): Promise<{ data: T; response: Response; request_id: string | null }> {
    this.#parsing = true;
    return super.withResponse();
  }

  // biome-ignore lint/suspicious/noThenProperty: APIPromise is a Promise; awaiting it is how the caller takes the parsed result.
  override then<TResult1 = T, TResult2 = never>(
    onfulfilled?: ((value: any) => TResult1 | PromiseLike<TResult1>) | undefined | null,
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
 * Reads the request's response props from the SDK's promise. They are the SDK's
 * own (response, request options, controller): its stream helpers read them back
 * through `_thenUnwrap`. Without the field (a future SDK), rebuilt from `asResponse()`.
 */
export function responsePropsOf(inner: APIPromise<unknown>): Promise<ResponseProps> {
  const props = (inner as unknown as { responsePromise?: unknown }).responsePromise;
  if (props instanceof Promise) return props as Promise<ResponseProps>;
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
