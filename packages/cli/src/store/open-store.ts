import { existsSync, statSync } from 'node:fs';
import type { BudgetStore } from '@tollgate/core';
import { CliError, EXIT_CODES } from '../cli-error';
import { describeError } from './describe-error';
import type { StoreSpec } from './store-spec';

export interface OpenStoreOptions {
  /** How long to look for a MongoDB server before giving up. */
  readonly connectTimeoutMs: number;
}

/**
 * Opens the store and makes one read, so that an unreachable server or a file that is
 * not a tollgate database fails here with a clear message instead of halfway through a
 * report. The store packages are imported only now: `prices` and `estimate` never load them.
 */
export async function openStore(spec: StoreSpec, options: OpenStoreOptions): Promise<BudgetStore> {
  let store: BudgetStore | undefined;
  try {
    store = spec.kind === 'sqlite' ? await openSqliteStore(spec) : await openMongoStore(spec, options);
    await store.readCounters([], Date.now());
    return store;
  } catch (error) {
    await store?.close().catch(() => {});
    if (error instanceof CliError)
      throw new CliError(`cannot open store ${spec.label}: ${error.message}`, error.exitCode);
    throw new CliError(`cannot open store ${spec.label}: ${describeError(error)}`, EXIT_CODES.store, {
      cause: error,
    });
  }
}

async function openSqliteStore(spec: Extract<StoreSpec, { kind: 'sqlite' }>): Promise<BudgetStore> {
  const { path } = spec;
  // Opening a missing file would create an empty database and report $0: a mistyped path must fail instead.
  if (path !== ':memory:') {
    if (!existsSync(path))
      throw new CliError(
        spec.source === '$TOLLGATE_STORE'
          ? `no database at ${path} (the store $TOLLGATE_STORE names): an app's SqliteStore creates it on its first call; check $TOLLGATE_STORE, or pass --store sqlite:<file> or --store mongodb://…`
          : `no database at ${path}: an app's SqliteStore creates it on its first call; check the path, or pass --store sqlite:<file> or --store mongodb://…`,
        EXIT_CODES.store,
      );
    if (!statSync(path).isFile()) throw new CliError(`${path} is not a file`, EXIT_CODES.store);
  }
  const { SqliteStore } = await importStorePackage(() => import('@tollgate/sqlite'), '@tollgate/sqlite');
  return new SqliteStore({ path });
}

async function openMongoStore(
  spec: Extract<StoreSpec, { kind: 'mongodb' }>,
  options: OpenStoreOptions,
): Promise<BudgetStore> {
  const { MongoStore } = await importStorePackage(() => import('@tollgate/mongodb'), '@tollgate/mongodb');
  return new MongoStore({
    uri: spec.uri,
    dbName: spec.dbName,
    clientOptions: {
      serverSelectionTimeoutMS: options.connectTimeoutMs,
      connectTimeoutMS: options.connectTimeoutMs,
      appName: 'tollgate-cli',
    },
  });
}

async function importStorePackage<T>(load: () => Promise<T>, name: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isModuleNotFound(error)) {
      // The MongoDB packages are optional peers: SQLite users never install the driver.
      const packages = name === '@tollgate/mongodb' ? `${name} mongodb` : name;
      throw new CliError(
        `this store needs ${packages}, which is not installed: run \`npm install ${packages}\` (or \`pnpm add ${packages}\`) next to @tollgate/cli`,
        // Exit code 3, as for any store that cannot be opened: nothing unexpected happened.
        EXIT_CODES.store,
        { cause: error },
      );
    }
    throw new CliError(
      `the store package ${name} could not be loaded (${describeError(error)})`,
      EXIT_CODES.failure,
      {
        cause: error,
      },
    );
  }
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}
