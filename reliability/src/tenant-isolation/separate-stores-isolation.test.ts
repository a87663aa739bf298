import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore } from '@tollgate/core';
import { MongoStore } from '@tollgate/mongodb';
import { SqliteStore } from '@tollgate/sqlite';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { PROFILE, sized } from '../profile';
import { checkTenantIsolation, type IsolationRun } from './tenant-isolation';

declare module 'vitest' {
  export interface ProvidedContext {
    mongodbUri: string;
  }
}

// Tenants with the very same budget, project and user ids, each on its own store: a file,
// a database or a collection prefix is all that keeps them apart.
const directory = mkdtempSync(join(tmpdir(), 'tollgate-separate-tenants-'));
const client = new MongoClient(inject('mongodbUri'));
const base = `separate_${process.pid}_${Date.now().toString(36)}`;
const databases = new Set<string>();
const runs = sized({ ci: 15, full: 100 });
const maxCommands = sized({ ci: 25, full: 60 });

afterAll(async () => {
  for (const name of databases) await client.db(name).dropDatabase();
  await client.close();
  rmSync(directory, { recursive: true, force: true });
});

function report(kind: string, result: IsolationRun) {
  console.info(
    `[tenant-isolation/separate ${kind}] profile ${PROFILE}: ${result.sequences} sequences, ${result.operations} operations (${result.refusals} refused gates), 0 differences`,
  );
  expect(result.sequences).toBeGreaterThanOrEqual(runs);
  expect(result.refusals).toBeGreaterThan(0);
}

describe('tenants on separate stores, with identical ids', () => {
  it('one SQLite file each', async () => {
    const result = await checkTenantIsolation(
      (sequence, tenant) => new SqliteStore({ path: join(directory, `s${sequence}-tenant-${tenant}.db`) }),
      { runs, maxCommands, stores: 'separate' },
    );
    report('sqlite files', result);
  });

  it('one MongoDB collection prefix each, in one database', async () => {
    databases.add(`${base}_prefixes`);
    const result = await checkTenantIsolation(
      (sequence, tenant) =>
        new MongoStore({ client, dbName: `${base}_prefixes`, collectionPrefix: `s${sequence}_t${tenant}_` }),
      { runs, maxCommands, stores: 'separate' },
    );
    report('mongodb prefixes', result);
  });

  it('one MongoDB database each, with the same collection prefix', async () => {
    const result = await checkTenantIsolation(
      (sequence, tenant) => {
        const dbName = `${base}_s${sequence}_t${tenant}`;
        databases.add(dbName);
        return new MongoStore({ client, dbName });
      },
      { runs, maxCommands, stores: 'separate' },
    );
    report('mongodb databases', result);
  });

  it('one MemoryStore each', async () => {
    const result = await checkTenantIsolation(() => new MemoryStore(), {
      runs,
      maxCommands,
      stores: 'separate',
    });
    report('memory', result);
  });
});
