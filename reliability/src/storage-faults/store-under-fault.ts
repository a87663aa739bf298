import { join } from 'node:path';
import { MongoStore } from '@tollgate/mongodb';
import { SqliteStore } from '@tollgate/sqlite';
import { holdSqliteLock } from './sqlite-lock-holder';
import { readMongoLedger, readSqliteLedger, type StoredLedger } from './stored-ledger';
import { startTcpFaultProxy } from './tcp-fault-proxy';
import { mongodbAddress, mongodbUri, uniqueDatabaseName } from './test-mongodb';

/** A shared store that worker processes use and the test can take down and bring back. */
export interface StoreUnderFault {
  /** What a worker process needs to open the store (through the fault). */
  readonly env: Record<string, string>;
  takeDown(): Promise<void>;
  bringBack(): Promise<void>;
  /** The store as an app in this process opens it, through the fault. */
  openStoreThroughFault(): MongoStore | SqliteStore;
  /** The store without the fault, for the test's own reads. */
  openStore(): MongoStore | SqliteStore;
  readLedger(): Promise<StoredLedger>;
  close(): Promise<void>;
}

/** Driver timeouts below an outage, so that the driver's own operations end too, not only the gate's wait. */
export const MONGO_CLIENT_OPTIONS = {
  serverSelectionTimeoutMS: 1_000,
  connectTimeoutMS: 1_000,
  socketTimeoutMS: 2_000,
  heartbeatFrequencyMS: 500,
};
/**
 * better-sqlite3 waits for a lock synchronously, blocking the event loop: the busy timeout has to
 * stay well below the admission timeout, which cannot interrupt it.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 100;

/** MongoStore through a TCP fault proxy: down means every connection is reset. */
export async function mongodbUnderFault(): Promise<StoreUnderFault> {
  const server = mongodbAddress();
  const proxy = await startTcpFaultProxy({ targetHost: server.host, targetPort: server.port });
  const dbName = uniqueDatabaseName('fault');
  const proxied = new URL(mongodbUri());
  proxied.host = `127.0.0.1:${proxy.port}`;
  proxied.searchParams.set('directConnection', 'true');
  return {
    env: { STORE: 'mongodb', MONGODB_URI: proxied.href, DB_NAME: dbName },
    takeDown: async () => proxy.setMode('reset'),
    bringBack: async () => proxy.setMode('pass'),
    openStoreThroughFault: () =>
      new MongoStore({ uri: proxied.href, dbName, clientOptions: MONGO_CLIENT_OPTIONS }),
    openStore: () => new MongoStore({ uri: mongodbUri(), dbName }),
    readLedger: () => readMongoLedger(mongodbUri(), dbName),
    close: () => proxy.close(),
  };
}

/** SqliteStore on a file in `directory`: down means another process holds its write lock. */
export function sqliteUnderFault(directory: string): StoreUnderFault {
  const path = join(directory, 'usage.db');
  let lock: Awaited<ReturnType<typeof holdSqliteLock>> | undefined;
  const release = async () => {
    await lock?.release();
    lock = undefined;
  };
  return {
    env: { STORE: 'sqlite', SQLITE_PATH: path },
    takeDown: async () => {
      lock = await holdSqliteLock(path);
    },
    bringBack: release,
    openStoreThroughFault: () => new SqliteStore({ path, busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS }),
    openStore: () => new SqliteStore({ path }),
    readLedger: async () => readSqliteLedger(path),
    close: release,
  };
}
