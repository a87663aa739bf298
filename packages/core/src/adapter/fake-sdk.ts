/**
 * A small SDK shaped like the Stainless-generated ones (openai, @anthropic-ai/sdk), for the kit's
 * own tests: its `APIPromise` parses lazily from response props, and its `Stream` is built from an
 * iterator factory and an `AbortController`. The kit knows no provider SDK, so its tests run on this.
 */
export interface FakeResponseProps {
  readonly response: Response;
  readonly options: Record<string, unknown>;
  readonly controller: AbortController;
}

export class FakeApiPromise<T = unknown> extends Promise<T> {
  private parsed: Promise<T> | undefined;

  constructor(
    readonly client: unknown,
    readonly responsePromise: Promise<FakeResponseProps>,
    readonly parseResponse: (client: unknown, props: FakeResponseProps) => unknown = (_client, props) =>
      props.response.json(),
  ) {
    // Resolved at once with nothing: the result comes from `parse()`, through the overridden `then`.
    super((resolve) => resolve(null as T));
  }

  _thenUnwrap<U>(transform: (data: T) => U): FakeApiPromise<U> {
    return new FakeApiPromise<U>(this.client, this.responsePromise, async (client, props) =>
      transform((await this.parseResponse(client, props)) as T),
    );
  }

  asResponse(): Promise<Response> {
    return this.responsePromise.then((props) => props.response);
  }

  async withResponse(): Promise<{ data: T; response: Response }> {
    const [data, response] = await Promise.all([this.parse(), this.asResponse()]);
    return { data, response };
  }

  parse(): Promise<T> {
    this.parsed ??= this.responsePromise.then((props) => this.parseResponse(this.client, props) as T);
    return this.parsed;
  }

  // biome-ignore lint/suspicious/noThenProperty: like the SDK's, awaiting the promise parses the response.
  override then<A = T, B = never>(
    onfulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: any) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.parse().then(onfulfilled, onrejected);
  }

  override catch<B = never>(onrejected?: ((reason: any) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.parse().catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.parse().finally(onfinally);
  }
}

export class FakeStream<Item> implements AsyncIterable<Item> {
  constructor(
    private readonly iterator: () => AsyncIterator<Item>,
    readonly controller: AbortController,
    readonly client?: unknown,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<Item> {
    return this.iterator();
  }

  /** Two streams over one iteration, as the SDKs' `tee()` does. */
  tee(): [FakeStream<Item>, FakeStream<Item>] {
    const queues: IteratorResult<Item>[][] = [[], []];
    const source = this.iterator();
    const branch = (index: number) => () => ({
      async next(): Promise<IteratorResult<Item>> {
        const queue = queues[index]!;
        if (queue.length === 0) {
          const result = await source.next();
          for (const each of queues) each.push(result);
        }
        return queue.shift()!;
      },
    });
    return [new FakeStream(branch(0), this.controller), new FakeStream(branch(1), this.controller)];
  }
}

/** A stream of `items`, failing with `failure` after them when given; aborting its controller ends it with an abort error. */
export function fakeStream<Item>(items: readonly Item[], failure?: Error): FakeStream<Item> {
  const controller = new AbortController();
  return new FakeStream(async function* () {
    for (const item of items) {
      if (controller.signal.aborted) throw new Error('Request was aborted.');
      yield item;
    }
    if (failure) throw failure;
  }, controller);
}

/** The response props of a JSON (or SSE) response. */
export function responseProps(body: string, contentType = 'application/json'): FakeResponseProps {
  return {
    response: new Response(body, { headers: { 'content-type': contentType, 'x-request-id': 'req_1' } }),
    options: { method: 'post', path: '/v1/fake' },
    controller: new AbortController(),
  };
}
