export type { BulkWriteMode } from './bulk-write-limits';
export { type CommitManyResult, MongoStore } from './mongo-store';
export type { MongoStoreOptions } from './mongo-store-options';
