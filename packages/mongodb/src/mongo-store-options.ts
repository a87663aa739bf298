import { optionKeys, rejectUnknownKeys, ValidationError } from '@tollgate/core';
import type { MongoClient, MongoClientOptions, WriteConcernSettings } from 'mongodb';
import { BULK_WRITE_MODES, type BulkWriteMode } from './bulk-write-limits';
import { checkUriDatabaseName, uriDatabaseName } from './uri-database';

/** How `MongoStore` reaches MongoDB: an app-owned `client`, or a `uri` it connects to itself. */
export interface MongoStoreOptions {
  /** A client the app owns (connected or not). The store uses it and never closes it. */
  client?: MongoClient;
  /** A connection string; the store creates its own client on first use and closes it in `close()`. */
  uri?: string;
  /**
   * The database the store's collections are in. Default: the database named in the `uri`'s path
   * (`mongodb://host/budgets`), as the driver and the `tollgate` CLI take it, else `tollgate`.
   * With a `client`, `tollgate` (a client does not tell whether its connection string named one).
   */
  dbName?: string;
  /** Prepended to the store's collection names. Default `tollgate_`. */
  collectionPrefix?: string;
  /**
   * Options for the client the store creates from `uri`. Its `serverSelectionTimeoutMS` (how long
   * an operation waits for a server it can use) defaults to 3,000 ms, below the budget's default
   * admission timeout (5 s), so that an unreachable server fails a call with the driver's reason
   * (`ECONNREFUSED`, `ENOTFOUND`) rather than a timeout; set it here or in the `uri` to change it.
   */
  clientOptions?: MongoClientOptions;
  /**
   * The write concern of every write the store makes. Default `{ w: 'majority' }`, so that a
   * failover cannot roll back a reservation that another instance already counted on.
   */
  writeConcern?: WriteConcernSettings;
  /**
   * How `commitMany` sends its bulk writes. `'parallel'`: up to 1,000 operations each, the
   * counters, daily spend and rollups at once. `'serial'`: at most 50 operations each, one at a
   * time, which FerretDB v1 needs (it stops answering once about a hundred updates are pending).
   * Default: `'serial'` when the server's `buildInfo` answer says FerretDB, `'parallel'` otherwise.
   */
  bulkWrites?: BulkWriteMode;
}

export interface ResolvedMongoStoreOptions {
  readonly client: MongoClient | undefined;
  readonly uri: string | undefined;
  readonly clientOptions: MongoClientOptions | undefined;
  readonly dbName: string;
  readonly collectionPrefix: string;
  readonly writeConcern: WriteConcernSettings;
  /** undefined: detected from the server when the store connects. */
  readonly bulkWrites: BulkWriteMode | undefined;
}

const MONGO_STORE_OPTION_KEYS = optionKeys<MongoStoreOptions>({
  client: true,
  uri: true,
  dbName: true,
  collectionPrefix: true,
  clientOptions: true,
  writeConcern: true,
  bulkWrites: true,
});
const DEFAULT_DATABASE_NAME = 'tollgate';
/**
 * The server selection timeout of a client the store creates, unless the app sets one: below
 * core's default admission timeout (5,000 ms), so that the driver gives up, with its reason,
 * before the budget does without one. The driver's own default is 30,000 ms.
 */
export const DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 3_000;
const DATABASE_NAME = /^[A-Za-z0-9_-]{1,63}$/;
const COLLECTION_PREFIX = /^[A-Za-z0-9_-]{0,64}$/;

export function resolveMongoStoreOptions(options: unknown): ResolvedMongoStoreOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new ValidationError({ field: 'options', message: 'must be an object with a client or a uri' });
  rejectUnknownKeys(options, MONGO_STORE_OPTION_KEYS, 'options');
  const given = options as MongoStoreOptions;
  const hasClient = given.client !== undefined;
  const hasUri = given.uri !== undefined;
  if (!hasClient && !hasUri && 'uri' in given)
    throw new ValidationError({
      field: 'options.uri',
      message: 'is undefined: is the environment variable it is read from set (MONGODB_URI)?',
    });
  if (hasClient === hasUri)
    throw new ValidationError({ field: 'options', message: 'must have exactly one of client and uri' });
  if (hasClient && !isMongoClient(given.client))
    throw new ValidationError({ field: 'options.client', message: 'must be a MongoClient' });
  if (hasUri && (typeof given.uri !== 'string' || !/^mongodb(\+srv)?:\/\/./.test(given.uri)))
    throw new ValidationError({
      field: 'options.uri',
      message: 'must be a mongodb:// or mongodb+srv:// connection string',
    });
  if (given.clientOptions !== undefined) {
    if (!hasUri)
      throw new ValidationError({ field: 'options.clientOptions', message: 'only applies with a uri' });
    if (!isPlainObject(given.clientOptions))
      throw new ValidationError({ field: 'options.clientOptions', message: 'must be an object' });
  }
  // Only a missing option takes its default: null is checked like any other value.
  // A database the uri names is checked against MongoDB's own rule: it may already hold data.
  const dbName = given.dbName === undefined ? defaultDatabaseName(given.uri) : given.dbName;
  if (given.dbName !== undefined && (typeof dbName !== 'string' || !DATABASE_NAME.test(dbName)))
    throw new ValidationError({
      field: 'options.dbName',
      message: 'must be 1–63 letters, digits, "_" or "-"',
    });
  const collectionPrefix = given.collectionPrefix === undefined ? 'tollgate_' : given.collectionPrefix;
  if (typeof collectionPrefix !== 'string' || !COLLECTION_PREFIX.test(collectionPrefix))
    throw new ValidationError({
      field: 'options.collectionPrefix',
      message: 'must be at most 64 letters, digits, "_" or "-"',
    });
  const writeConcern = given.writeConcern === undefined ? { w: 'majority' as const } : given.writeConcern;
  if (!isPlainObject(writeConcern))
    throw new ValidationError({ field: 'options.writeConcern', message: 'must be an object' });
  if (given.bulkWrites !== undefined && !BULK_WRITE_MODES.includes(given.bulkWrites))
    throw new ValidationError({ field: 'options.bulkWrites', message: `must be 'parallel' or 'serial'` });
  return {
    client: given.client,
    uri: given.uri,
    clientOptions: hasUri ? ownedClientOptionsOf(given.uri!, given.clientOptions) : undefined,
    dbName,
    collectionPrefix,
    writeConcern,
    bulkWrites: given.bulkWrites,
  };
}

/**
 * The app's client options, with the store's server selection timeout when neither they nor the
 * connection string set one (the driver lets an option given here override the string's).
 */
function ownedClientOptionsOf(uri: string, clientOptions: MongoClientOptions | undefined) {
  if (clientOptions?.serverSelectionTimeoutMS !== undefined || uriSetsServerSelectionTimeout(uri))
    return clientOptions;
  return { ...clientOptions, serverSelectionTimeoutMS: DEFAULT_SERVER_SELECTION_TIMEOUT_MS };
}

/** Whether the connection string's options (after `?`, before `#`) name it, in any case, as the driver reads them. */
function uriSetsServerSelectionTimeout(uri: string): boolean {
  const query = uri.split('#')[0]!.split('?')[1] ?? '';
  return query.split('&').some((pair) => pair.split('=')[0]!.toLowerCase() === 'serverselectiontimeoutms');
}

/** The database named in the uri's path, checked, else `tollgate`. */
function defaultDatabaseName(uri: string | undefined): string {
  const named = uri === undefined ? undefined : uriDatabaseName(uri);
  return named === undefined ? DEFAULT_DATABASE_NAME : checkUriDatabaseName(named);
}

function isPlainObject(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Duck-typed, so that a client from another copy of the driver package is accepted too. */
function isMongoClient(value: unknown): value is MongoClient {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as MongoClient).db === 'function' &&
    typeof (value as MongoClient).connect === 'function'
  );
}
