import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVER_SELECTION_TIMEOUT_MS, resolveMongoStoreOptions } from './mongo-store-options';

/** The options the store gives the client it creates from `uri`, as the driver reads them. */
function serverSelectionTimeoutOf(options: { uri: string; clientOptions?: object }): number {
  const resolved = resolveMongoStoreOptions(options);
  return new MongoClient(resolved.uri!, resolved.clientOptions).options.serverSelectionTimeoutMS;
}

describe('the server selection timeout of the client a store creates from a uri', () => {
  it("is below core's default admission timeout (5 s) when the app sets none", () => {
    expect(DEFAULT_SERVER_SELECTION_TIMEOUT_MS).toBeLessThan(5_000);
    expect(serverSelectionTimeoutOf({ uri: 'mongodb://127.0.0.1/tg' })).toBe(
      DEFAULT_SERVER_SELECTION_TIMEOUT_MS,
    );
    expect(
      serverSelectionTimeoutOf({ uri: 'mongodb://127.0.0.1/tg', clientOptions: { appName: 'app' } }),
    ).toBe(DEFAULT_SERVER_SELECTION_TIMEOUT_MS);
    expect(
      serverSelectionTimeoutOf({
        uri: 'mongodb://127.0.0.1/tg',
        clientOptions: { serverSelectionTimeoutMS: undefined },
      }),
    ).toBe(DEFAULT_SERVER_SELECTION_TIMEOUT_MS);
  });

  it('is the one the app sets in clientOptions', () => {
    expect(
      serverSelectionTimeoutOf({
        uri: 'mongodb://127.0.0.1/tg',
        clientOptions: { serverSelectionTimeoutMS: 20_000 },
      }),
    ).toBe(20_000);
  });

  it('is the one the connection string sets, whatever the case of its name', () => {
    for (const uri of [
      'mongodb://127.0.0.1/tg?serverSelectionTimeoutMS=20000',
      'mongodb://127.0.0.1/?appName=app&serverselectiontimeoutms=20000',
      'mongodb://a:1,b:2/tg?replicaSet=rs&SERVERSELECTIONTIMEOUTMS=20000#fragment',
    ])
      expect(serverSelectionTimeoutOf({ uri }), uri).toBe(20_000);
  });

  it("leaves the app's other client options as they are, and changes nothing for a client", () => {
    const clientOptions = { appName: 'app' };
    expect(
      resolveMongoStoreOptions({ uri: 'mongodb://127.0.0.1/', clientOptions }).clientOptions,
    ).toStrictEqual({
      appName: 'app',
      serverSelectionTimeoutMS: DEFAULT_SERVER_SELECTION_TIMEOUT_MS,
    });
    expect(clientOptions).toEqual({ appName: 'app' });
    const client = new MongoClient('mongodb://127.0.0.1/');
    expect(resolveMongoStoreOptions({ client }).clientOptions).toBeUndefined();
    expect(client.options.serverSelectionTimeoutMS).toBe(30_000);
  });
});
