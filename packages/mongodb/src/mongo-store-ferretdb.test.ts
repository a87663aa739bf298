import { storeConformanceSuite } from '@tollgate/core/testing';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, it } from 'vitest';
import { type MongoTestServer, startMongoTestServer } from '../test-server/start-test-server.mjs';
import { MongoStore } from './mongo-store';

// FerretDB v1 does not apply concurrent updates of one document atomically, so it runs the
// suite without the concurrency properties. A missing binary fails here with the build command.
let server: MongoTestServer;
let client: MongoClient;
let stores = 0;

beforeAll(async () => {
  server = await startMongoTestServer({ kind: 'ferretdb' });
  client = new MongoClient(server.uri);
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

storeConformanceSuite(
  it,
  async () => {
    stores += 1;
    return new MongoStore({ client, dbName: 'ferretdb_conformance', collectionPrefix: `store${stores}_` });
  },
  { concurrency: false },
);
