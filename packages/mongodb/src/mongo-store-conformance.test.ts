import { storeConformanceSuite } from '@tollgate/core/testing';
import { MongoClient } from 'mongodb';
import { afterAll, it } from 'vitest';
import { MongoStore } from './mongo-store';
import { testServerUri, uniqueName } from './testing/test-database';

// mongo-java-server by default, or the server in MONGODB_URI: the whole suite, concurrency included.
const client = new MongoClient(testServerUri());
const dbName = uniqueName('conformance');
let stores = 0;

afterAll(async () => {
  await client.db(dbName).dropDatabase();
  await client.close();
});

storeConformanceSuite(it, async () => {
  stores += 1;
  return new MongoStore({ client, dbName, collectionPrefix: `store${stores}_` });
});
