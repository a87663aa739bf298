import { describe, expect, it } from 'vitest';
import { ValidationError } from '../index';
import { type MethodWrapper, proxyClient } from './proxy-client';

/** A client shaped like the Stainless SDKs: resources hold their client, helpers call `create` through `this`. */
class Completions {
  constructor(readonly _client: FakeClient) {}
  create(request: string) {
    return `sent ${request}`;
  }
  stream(request: string) {
    return `streamed (${this.create(request)})`;
  }
  retrieve(id: string) {
    return this._client.get(`/completions/${id}`);
  }
}

class FakeClient {
  readonly #key = 'sk-private';
  readonly completions = new Completions(this);
  readonly models = { _client: this, list: () => 'models' };
  get(path: string) {
    return `${path} with ${this.#key.length}-character key`;
  }
  withOptions(): FakeClient {
    return new FakeClient();
  }
}

const gated: MethodWrapper = (original, resource) => (request: string) =>
  `gated ${original.call(resource, request)}`;

function wrap(client: FakeClient): FakeClient {
  return proxyClient(
    client,
    { resources: { completions: { methods: { create: gated }, helpers: ['stream'] } } },
    { derive: ['withOptions'], wrap },
  );
}

describe('proxyClient', () => {
  it('replaces the planned methods and keeps everything else, the same values each time', () => {
    const client = wrap(new FakeClient());
    expect(client.completions.create('hi')).toBe('gated sent hi');
    expect(client.completions).toBe(client.completions);
    expect(client.completions.create).toBe(client.completions.create);
    expect(client.get).toBe(client.get);
    expect(client).toBeInstanceOf(FakeClient);
  });

  it('runs helpers on the proxy, so that what they send is gated too', () => {
    expect(wrap(new FakeClient()).completions.stream('hi')).toBe('streamed (gated sent hi)');
  });

  it('binds the other methods to the real object, whose private fields they need', () => {
    const client = wrap(new FakeClient());
    const { get } = client;
    expect(get('/models')).toBe('/models with 10-character key');
    expect(client.completions.retrieve('c1')).toBe('/completions/c1 with 10-character key');
  });

  it('gives the SDK’s resources the wrapped client as `_client`, planned or not', () => {
    const client = wrap(new FakeClient());
    expect(client.completions._client).toBe(client);
    expect(client.models._client).toBe(client);
    expect(client.models.list()).toBe('models');
  });

  it('wraps a derived client, and refuses to wrap a wrapped one', () => {
    const client = wrap(new FakeClient());
    expect(client.withOptions().completions.create('hi')).toBe('gated sent hi');
    expect(() => wrap(client)).toThrow(ValidationError);
  });
});
