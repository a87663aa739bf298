import { join } from 'node:path';
import { MongoStore } from '@tollgate/mongodb';
import { SqliteStore } from '@tollgate/sqlite';
import fc from 'fast-check';
import { MongoClient } from 'mongodb';
import { type EntryPoint, position, withValue } from './entry-point';

const nonStringPaths = fc.oneof(
  fc.constantFrom<unknown>(
    '',
    '   ',
    'a\u0000b.db',
    null,
    7,
    Number.NaN,
    true,
    ['x.db'],
    { $gt: '' },
    Symbol('p'),
  ),
  fc.constant(() => 'x.db'),
  fc.constant(JSON.parse('{"__proto__": {"path": "x.db"}}')),
);

/** A file name no system accepts (over 255 bytes), from 257 characters up to 10 MB: refused by the OS, typed by the store. */
const overlongPaths = fc.oneof(
  fc.integer({ min: 257, max: 4096 }).map((length) => 'p'.repeat(length)),
  fc.constant(null).map(() => 'p'.repeat(10 * 1024 * 1024)),
);

/** Closes a store that was (wrongly or rightly) created, so no file handle is left open. */
function opened<T extends { close(): Promise<void> }>(store: T): Promise<T> {
  return store.close().then(() => store);
}

export function sqliteStoreEntryPoint(directory: string): EntryPoint {
  const legitPath = () => join(directory, `legit-${process.hrtime.bigint()}.db`);
  const create = (options: unknown) => opened(new SqliteStore(options as never));
  return {
    name: 'new SqliteStore',
    positions: [
      position('options', 'object', { path: ':memory:' }, create),
      position(
        'options.path',
        'id',
        undefined,
        (value) => create({ path: value === undefined ? legitPath() : value }),
        {
          values: nonStringPaths,
        },
      ),
      position(
        'options.path (too long)',
        'id',
        undefined,
        (value) => create({ path: value === undefined ? legitPath() : value }),
        {
          values: overlongPaths,
          refusal: 'typed',
        },
      ),
      position('options.busyTimeoutMs', 'count', 1_000, (value) =>
        create({ path: ':memory:', busyTimeoutMs: value }),
      ),
    ],
  };
}

const nonClients = fc.constantFrom<unknown>(
  {},
  { $gt: '' },
  { db: 'tollgate', connect: 'now' },
  null,
  'mongodb://127.0.0.1',
  7,
  [],
  () => {},
  JSON.parse('{"__proto__": {"db": 1}}'),
);

const hostileUris = fc.oneof(
  fc.constantFrom<unknown>('', 'http://127.0.0.1', '$gt', 'mongodb:/x', 'mongodb://', 'MONGODB://x', null, 7),
  fc.constantFrom<unknown>({ $gt: '' }, ['mongodb://x'], Symbol('u'), () => 'mongodb://x'),
);

/** Names MongoDB could misread: operators, dots, spaces, separators, over 63/64 characters, non-strings. */
function hostileNames(maxLength: number, emptyAllowed: boolean) {
  return fc.oneof(
    fc.constantFrom<unknown>('$gt', 'a.b', 'a b', 'a/b', 'a\\b', 'a\u0000b', 'tollgate$', '.', '$'),
    fc.string({ maxLength: 10 }).map((text) => `$${text}`),
    fc.integer({ min: maxLength + 1, max: 300 }).map((length) => 'n'.repeat(length)),
    fc.constantFrom<unknown>(null, 7, Number.NaN, true, ['tollgate'], { $gt: '' }, Symbol('n'), () => 'x'),
    ...(emptyAllowed ? [] : [fc.constant('')]),
  );
}

export function mongoStoreEntryPoint(uri: string): EntryPoint {
  const client = new MongoClient(uri);
  const base = { uri, dbName: 'tollgate_options', collectionPrefix: 'p_' };
  // The constructor connects to nothing, so a store that was made needs no closing.
  const create = (options: unknown) => new MongoStore(options as never);
  const at = (path: string) => (value: unknown) => create(withValue(base, path, value));
  return {
    name: 'new MongoStore',
    positions: [
      position('options', 'object', base, create),
      position('options.client', 'object', client, (value) => create({ client: value }), {
        values: nonClients,
      }),
      position('options.client + uri', 'object', undefined, (value) => create({ client, uri: value }), {
        values: fc.constantFrom<unknown>(uri, 'mongodb://127.0.0.1:1'),
      }),
      position('options.uri', 'id', uri, at('uri'), { values: hostileUris }),
      position('options.dbName', 'key', 'tollgate-2_x', at('dbName'), { values: hostileNames(63, false) }),
      position('options.collectionPrefix', 'key', '', at('collectionPrefix'), {
        values: hostileNames(64, true),
      }),
      position('options.clientOptions', 'object', { maxPoolSize: 2 }, at('clientOptions'), {
        values: fc.constantFrom<unknown>(
          null,
          7,
          'maxPoolSize=2',
          true,
          Symbol('o'),
          [],
          [{ maxPoolSize: 2 }],
        ),
      }),
      position(
        'options.clientOptions (with client)',
        'object',
        undefined,
        (value) => create({ client, ...(value === undefined ? {} : { clientOptions: value }) }),
        { values: fc.constantFrom<unknown>({}, { maxPoolSize: 2 }) },
      ),
      position('options.writeConcern', 'object', { w: 1 }, at('writeConcern'), {
        values: fc.constantFrom<unknown>(null, 7, 'majority', true, Symbol('w'), [], ['majority']),
      }),
    ],
  };
}
