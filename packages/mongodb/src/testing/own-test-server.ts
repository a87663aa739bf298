import { MongoClient } from 'mongodb';
import { afterAll, beforeAll } from 'vitest';
import { type MongoTestServerKind, startMongoTestServer } from '../../test-server/start-test-server.mjs';
import { MongoStore } from '../mongo-store';

/**
 * A test server of `kind` for one test file: started before its tests (a missing install fails
 * there, with the command that installs it) and stopped after, with one client to it.
 */
export function ownTestServer(kind: MongoTestServerKind) {
  let uri = '';
  let client: MongoClient | undefined;
  let stop: (() => Promise<void>) | undefined;
  let stores = 0;
  beforeAll(async () => {
    const server = await startMongoTestServer({ kind });
    uri = server.uri;
    stop = () => server.stop();
    client = new MongoClient(uri);
  });
  afterAll(async () => {
    await client?.close();
    await stop?.();
  });
  return {
    get uri() {
      return uri;
    },
    get client() {
      return client!;
    },
    /** A store in `dbName` with collections of its own, so that tests do not see each other's. */
    store(dbName: string) {
      stores += 1;
      return new MongoStore({ client: client!, dbName, collectionPrefix: `store${stores}_` });
    },
  };
}
