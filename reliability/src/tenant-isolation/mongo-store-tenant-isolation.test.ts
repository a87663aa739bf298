import { MongoStore } from '@tollgate/mongodb';
import { MongoClient } from 'mongodb';
import { afterAll, expect, inject, it } from 'vitest';
import { PROFILE, sized } from '../profile';
import { checkTenantIsolation } from './tenant-isolation';

declare module 'vitest' {
  export interface ProvidedContext {
    mongodbUri: string;
  }
}

const client = new MongoClient(inject('mongodbUri'));
const dbName = `tenants_${process.pid}_${Date.now().toString(36)}`;

afterAll(async () => {
  await client.db(dbName).dropDatabase();
  await client.close();
});

it('keeps tenants apart on a MongoStore (fresh collections per sequence)', async () => {
  const runs = sized({ ci: 25, full: 200 });
  const result = await checkTenantIsolation(
    (sequence) => new MongoStore({ client, dbName, collectionPrefix: `s${sequence}_` }),
    { runs, maxCommands: sized({ ci: 30, full: 80 }), stores: 'shared' },
  );
  console.info(
    `[tenant-isolation/mongodb] profile ${PROFILE}: ${result.sequences} sequences, ${result.operations} operations (${result.refusals} refused gates), 0 differences`,
  );
  expect(result.sequences).toBeGreaterThanOrEqual(runs);
  expect(result.refusals).toBeGreaterThan(0);
});
