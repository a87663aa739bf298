import type { Collection, Db, MongoClient } from 'mongodb';

const WRITE_METHODS = new Set([
  'insertOne',
  'insertMany',
  'updateOne',
  'updateMany',
  'replaceOne',
  'findOneAndUpdate',
  'findOneAndDelete',
  'findOneAndReplace',
  'deleteOne',
  'deleteMany',
  'bulkWrite',
]);

export class CutOffError extends Error {
  constructor() {
    super('cut off: the process is gone');
  }
}

export interface WriteCuttingClient {
  /** The client to give a MongoStore. */
  readonly client: MongoClient;
  /** The writes let through since the last `cutAfter`, as `collection.method`, in call order. */
  readonly writes: string[];
  /** From now on, lets `count` more writes through and fails every later one, as if the process died there. */
  cutAfter(count: number): void;
  /** Resolves once every write let through has finished (a dead process's last writes still land). */
  settled(): Promise<void>;
}

/**
 * Wraps a client so that a test can stop a store after exactly its Nth write. Writes are
 * counted when the store calls them, in its own call order, so the cut is deterministic even
 * where the store sends several writes at once. Reads always pass.
 */
export function writeCuttingClient(client: MongoClient, collectionPrefix: string): WriteCuttingClient {
  let allowed = Number.POSITIVE_INFINITY;
  const writes: string[] = [];
  const landing: Promise<unknown>[] = [];

  const wrapCollection = (collection: Collection) =>
    new Proxy(collection, {
      get(target, property) {
        const value = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        if (!WRITE_METHODS.has(String(property))) return value.bind(target);
        return (...args: unknown[]) => {
          if (writes.length >= allowed) return Promise.reject(new CutOffError());
          writes.push(`${target.collectionName.slice(collectionPrefix.length)}.${String(property)}`);
          const result = value.apply(target, args) as Promise<unknown>;
          landing.push(result.catch(() => {}));
          return result;
        };
      },
    });
  const wrapDb = (db: Db) =>
    new Proxy(db, {
      get(target, property) {
        const value = Reflect.get(target, property, target);
        if (property === 'collection')
          return (...args: Parameters<Db['collection']>) => wrapCollection(target.collection(...args));
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  const wrapped = new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property === 'db') return (...args: Parameters<MongoClient['db']>) => wrapDb(target.db(...args));
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

  return {
    client: wrapped,
    writes,
    cutAfter(count) {
      allowed = count;
      writes.length = 0;
    },
    async settled() {
      await Promise.all(landing);
    },
  };
}
