import { type AddressInfo, createServer } from 'node:net';
import { StorageUnavailableError, ValidationError } from '@tollgate/core';
import { type CommandStartedEvent, type ConnectionCreatedEvent, MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { MongoStore } from './mongo-store';
import { testServerUri, uniqueName } from './testing/test-database';
import { usageRecord } from './testing/usage-record';

const KEY = { budgetId: 'app', scope: 'global', period: 'month:2026-11' };
const NOW = Date.UTC(2026, 10, 29);
const dbName = uniqueName('connection');

afterAll(async () => {
  const client = new MongoClient(testServerUri());
  await client.db(dbName).dropDatabase();
  await client.close();
});

describe('an injected client', () => {
  it('is not used before the first operation and stays open after close', async () => {
    const client = new MongoClient(testServerUri(), { monitorCommands: true });
    const commands: CommandStartedEvent[] = [];
    const connections: ConnectionCreatedEvent[] = [];
    client.on('commandStarted', (event) => commands.push(event));
    client.on('connectionCreated', (event) => connections.push(event));
    try {
      const store = new MongoStore({ client, dbName });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(commands).toHaveLength(0);
      expect(connections).toHaveLength(0);

      expect(await store.readCounters([KEY], NOW)).toEqual([{ ...KEY, committed: 0, reserved: 0 }]);
      expect(commands.map((event) => event.commandName)).toContain('createIndexes');
      expect(commands.map((event) => event.commandName)).toContain('find');

      await store.close();
      await store.close();
      await expect(client.db(dbName).command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
      await expect(store.readCounters([KEY], NOW)).rejects.toSatisfy(StorageUnavailableError.isInstance);
    } finally {
      await client.close();
    }
  });

  it('creates its indexes once, on first use', async () => {
    const client = new MongoClient(testServerUri(), { monitorCommands: true });
    const commands: string[] = [];
    client.on('commandStarted', (event) => commands.push(event.commandName));
    try {
      const store = new MongoStore({ client, dbName, collectionPrefix: 'indexes_' });
      await Promise.all([store.getRecord('a'), store.getRecord('b'), store.readCounters([KEY], NOW)]);
      await store.getRecord('c');
      expect(commands.filter((name) => name === 'createIndexes')).toHaveLength(7);
      const indexes = await client.db(dbName).collection('indexes_rollups').indexes();
      expect(indexes.map((index) => index.key)).toContainEqual({ day: 1 });
      // A page of records, and of a budget's counters in one period, is read along an index.
      const usages = await client.db(dbName).collection('indexes_usages').indexes();
      expect(usages.map((index) => index.key)).toContainEqual({ timestamp: 1, _id: 1 });
      const counters = await client.db(dbName).collection('indexes_counters').indexes();
      expect(counters.map((index) => index.key)).toContainEqual({ budgetId: 1, period: 1, scope: 1 });
      await store.close();
    } finally {
      await client.close();
    }
  });
});

describe('a client created from a uri', () => {
  it('connects lazily, is owned by the store and closes idempotently', async () => {
    const store = new MongoStore({ uri: testServerUri(), dbName, collectionPrefix: 'owned_' });
    expect(await store.getRecord('missing')).toBeUndefined();
    await Promise.all([store.close(), store.close()]);
    await store.close();
    await expect(store.getRecord('missing')).rejects.toSatisfy(StorageUnavailableError.isInstance);
  });

  it('constructs without a reachable server, fails on use, and can still be closed', async () => {
    const store = new MongoStore({
      uri: 'mongodb://127.0.0.1:9/',
      clientOptions: { serverSelectionTimeoutMS: 200 },
    });
    await expect(store.readCounters([KEY], NOW)).rejects.toThrow();
    await store.close();
    await store.close();
  });

  it('opens no connection before first use, and none when closed unused', async () => {
    let connections = 0;
    const listener = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as AddressInfo;
    try {
      const store = new MongoStore({ uri: `mongodb://127.0.0.1:${port}/` });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await store.close();
      await store.close();
      expect(connections).toBe(0);
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
  });
});

describe('options', () => {
  const client = new MongoClient('mongodb://127.0.0.1:9/');
  const invalid: [string, unknown][] = [
    ['nothing', undefined],
    ['no client or uri', {}],
    ['both', { client, uri: 'mongodb://127.0.0.1/' }],
    ['a client that is not one', { client: { url: 'mongodb://127.0.0.1/' } }],
    ['an http uri', { uri: 'http://127.0.0.1/' }],
    ['a uri object', { uri: { $gt: '' } }],
    ['a dotted database name', { uri: 'mongodb://127.0.0.1/', dbName: 'a.b' }],
    ['a $ database name', { uri: 'mongodb://127.0.0.1/', dbName: '$db' }],
    ['an empty database name', { uri: 'mongodb://127.0.0.1/', dbName: '' }],
    ['a prefix with $', { uri: 'mongodb://127.0.0.1/', collectionPrefix: '$x' }],
    ['a prefix with a dot', { uri: 'mongodb://127.0.0.1/', collectionPrefix: 'system.' }],
    ['client options with a client', { client, clientOptions: {} }],
    ['a write concern that is not an object', { client, writeConcern: 'majority' }],
    ['a write concern that is an array', { client, writeConcern: ['majority'] }],
    ['client options that are an array', { uri: 'mongodb://127.0.0.1/', clientOptions: [] }],
    ['a null database name', { client, dbName: null }],
    ['a null prefix', { client, collectionPrefix: null }],
    ['a null write concern', { client, writeConcern: null }],
    ['an unknown bulk write mode', { client, bulkWrites: 'fast' }],
    ['a bulk write mode that is an object', { client, bulkWrites: { $ne: 'serial' } }],
    ['a null bulk write mode', { client, bulkWrites: null }],
  ];
  for (const [name, options] of invalid) {
    it(`refuses ${name} with a ValidationError`, () => {
      expect(() => new MongoStore(options as never)).toThrow(ValidationError);
    });
  }

  it('says a uri given as undefined may be an environment variable that is not set', () => {
    expect(
      () => new MongoStore({ uri: process.env.TOLLGATE_UNSET_VARIABLE_FOR_THIS_TEST as string }),
    ).toThrow(
      expect.objectContaining({
        field: 'options.uri',
        message: expect.stringContaining('environment variable'),
      }),
    );
  });

  it('defaults the collection prefix and the write concern', async () => {
    const monitored = new MongoClient(testServerUri(), { monitorCommands: true });
    const commands: CommandStartedEvent[] = [];
    monitored.on('commandStarted', (event) => commands.push(event));
    const defaultDb = `${dbName}_defaults`;
    try {
      const store = new MongoStore({ client: monitored, dbName: defaultDb });
      await store.commit({
        record: usageRecord({ requestId: 'w1', timestamp: NOW }),
        counters: [{ ...KEY, day: '2026-11-29' }],
        now: NOW,
      });
      const writes = commands.filter((event) =>
        ['insert', 'update', 'findAndModify'].includes(event.commandName),
      );
      expect(writes.length).toBeGreaterThan(0);
      for (const write of writes) expect(write.command.writeConcern).toMatchObject({ w: 'majority' });
      expect(new Set(writes.map((event) => event.command[event.commandName]))).toEqual(
        new Set(['tollgate_usages', 'tollgate_counters', 'tollgate_daily_spend', 'tollgate_rollups']),
      );
      await store.close();
    } finally {
      await monitored.db(defaultDb).dropDatabase();
      await monitored.close();
    }
  });
});
