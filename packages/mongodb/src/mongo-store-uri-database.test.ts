import { type AddressInfo, createServer } from 'node:net';
import { type BudgetDefinition, ValidationError } from '@tollgate/core';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { MongoStore } from './mongo-store';
import { testServerUri, uniqueName } from './testing/test-database';
import { usageRecord } from './testing/usage-record';

// A store made from a uri keeps its collections in the database the uri names, as the driver and
// the `tollgate` CLI read it: one connection string writes and reads the same data.

const KEY = { budgetId: 'app', scope: 'global', period: 'month:2026-11' };
const NOW = Date.UTC(2026, 10, 29);
const BUDGET: BudgetDefinition = {
  id: 'app',
  limitNano: 30_000_000_000,
  period: 'month',
  timeZone: 'UTC',
  scope: 'global',
  thresholds: { yellow: 0.5, orange: 0.75, red: 0.9, critical: 1 },
  bufferNano: 0,
  perCallCapsNano: {},
};
const uriDb = uniqueName('uri_path');
const explicitDb = uniqueName('uri_explicit');
// The default database is shared with other runs: this file writes only under its own prefix there.
const defaultPrefix = `${uniqueName('uri_default')}_`;

/** The test server's uri with `path` as its database, its options kept. */
function uriWithPath(path: string): string {
  const server = testServerUri();
  const query = server.search(/[?#]/);
  const beforeOptions = query === -1 ? server : server.slice(0, query);
  const options = query === -1 ? '' : server.slice(query);
  const slash = beforeOptions.indexOf('/', beforeOptions.indexOf('://') + 3);
  const hosts = slash === -1 ? beforeOptions : beforeOptions.slice(0, slash);
  return `${hosts}${path}${options}`;
}

async function writeRecordAndBudget(store: MongoStore): Promise<void> {
  await store.commit({
    record: usageRecord({ requestId: 'uri-1', timestamp: NOW }),
    counters: [{ ...KEY, day: '2026-11-29' }],
    now: NOW,
  });
  await store.saveBudgets([BUDGET], NOW);
}

/** What a plain client finds in `prefix` collections of `dbName`. */
async function readBack(client: MongoClient, dbName: string, prefix = 'tollgate_') {
  const db = client.db(dbName);
  return {
    usages: await db.collection(`${prefix}usages`).countDocuments({ _id: 'uri-1' as never }),
    budgets: await db.collection(`${prefix}budgets`).countDocuments({ _id: 'app' as never }),
    counters: await db.collection(`${prefix}counters`).countDocuments({ budgetId: 'app' }),
  };
}

const NOTHING = { usages: 0, budgets: 0, counters: 0 };
const WRITTEN = { usages: 1, budgets: 1, counters: 1 };

const reader = new MongoClient(testServerUri());

afterAll(async () => {
  await reader.db(uriDb).dropDatabase();
  await reader.db(explicitDb).dropDatabase();
  const defaultDb = reader.db('tollgate');
  for (const { name } of await defaultDb.listCollections({}, { nameOnly: true }).toArray())
    if (name.startsWith(defaultPrefix)) await defaultDb.collection(name).drop();
  await reader.close();
});

describe('the database of a store made from a uri', () => {
  it('is the one named in the uri path', async () => {
    const store = new MongoStore({ uri: uriWithPath(`/${uriDb}`) });
    await writeRecordAndBudget(store);
    expect(await store.readBudgets()).toMatchObject([BUDGET]);
    await store.close();

    expect(await readBack(reader, uriDb)).toEqual(WRITTEN);
    // A second store on the same uri reads what the first wrote.
    const again = new MongoStore({ uri: uriWithPath(`/${uriDb}`) });
    expect(await again.getRecord('uri-1')).toMatchObject({ requestId: 'uri-1' });
    await again.close();
  });

  it('is tollgate when the uri names none', async () => {
    for (const path of ['', '/']) {
      const store = new MongoStore({ uri: uriWithPath(path), collectionPrefix: defaultPrefix });
      await writeRecordAndBudget(store);
      await store.close();
    }
    expect(await readBack(reader, 'tollgate', defaultPrefix)).toEqual(WRITTEN);
  });

  it('is dbName when one is given, whatever the uri names', async () => {
    const named = uniqueName('uri_named');
    const store = new MongoStore({ uri: uriWithPath(`/${named}`), dbName: explicitDb });
    await writeRecordAndBudget(store);
    await store.close();
    expect(await readBack(reader, explicitDb)).toEqual(WRITTEN);
    expect(await readBack(reader, named)).toEqual(NOTHING);
  });

  it('is tollgate for an injected client, whatever its uri names', async () => {
    const client = new MongoClient(uriWithPath(`/${uriDb}`));
    try {
      const store = new MongoStore({ client, collectionPrefix: defaultPrefix });
      await store.saveBudgets([BUDGET], NOW);
      await store.close();
      expect(await reader.db('tollgate').collection(`${defaultPrefix}budgets`).countDocuments()).toBe(1);
      expect(await reader.db(uriDb).collection(`${defaultPrefix}budgets`).countDocuments()).toBe(0);
    } finally {
      await client.close();
    }
  });
});

describe('a database in the uri that MongoDB would refuse', () => {
  const refused: [string, string, string][] = [
    ['a dot', '/a.b', 'a.b'],
    ['a slash', '/a/b', 'a/b'],
    ['an encoded slash', '/a%2Fb', 'a/b'],
    ['a backslash', '/a%5Cb', 'a\\b'],
    ['a space', '/a%20b', 'a b'],
    ['a double quote', '/a%22b', 'a"b'],
    ['a $', '/$db', '$db'],
    ['a NUL', '/a%00b', 'a\u0000b'],
    ['64 bytes', `/${'d'.repeat(64)}`, 'd'.repeat(64)],
    ['32 two-byte letters', `/${'%C3%A9'.repeat(32)}`, 'é'.repeat(32)],
  ];
  for (const [name, path, database] of refused) {
    it(`is refused with a ValidationError naming it (${name})`, () => {
      let thrown: unknown;
      try {
        new MongoStore({ uri: `mongodb://127.0.0.1:9${path}?retryWrites=true` });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toSatisfy(ValidationError.isInstance);
      expect((thrown as ValidationError).field).toBe('options.uri');
      expect((thrown as Error).message).toContain(JSON.stringify(database));
    });
  }

  it('is refused when its percent-encoding is broken', () => {
    expect(() => new MongoStore({ uri: 'mongodb://127.0.0.1:9/a%E0b' })).toThrow(
      /Invalid options\.uri: .*"a%E0b".*percent-encoding/,
    );
  });

  it('is refused before anything connects', () => {
    return withListener(async (port, connections) => {
      expect(() => new MongoStore({ uri: `mongodb://127.0.0.1:${port}/a.b` })).toThrow(ValidationError);
      expect(connections()).toBe(0);
    });
  });

  it('is not checked when dbName is given', async () => {
    const store = new MongoStore({ uri: uriWithPath('/a.b'), dbName: explicitDb });
    expect(await store.readBudgets()).toEqual(expect.any(Array));
    await store.close();
  });
});

async function withListener(body: (port: number, connections: () => number) => Promise<void>) {
  let connections = 0;
  const listener = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  try {
    await body((listener.address() as AddressInfo).port, () => connections);
  } finally {
    await new Promise((resolve) => listener.close(resolve));
  }
}
