export { SqliteStore } from './sqlite-store';
export { DEFAULT_BUSY_TIMEOUT_MS, type SqliteStoreOptions } from './sqlite-store-options';
