import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    mongodbUri: string;
  }
}

/** The MongoDB-wire server the global setup started, or `MONGODB_URI` when it is set. */
export function mongodbUri(): string {
  return inject('mongodbUri');
}

/** Host and port of that server, for a proxy to forward to. */
export function mongodbAddress(): { host: string; port: number } {
  const url = new URL(mongodbUri());
  return { host: url.hostname, port: Number(url.port || 27017) };
}

let sequence = 0;

/** A database name no other test or run uses (every test file shares one server). */
export function uniqueDatabaseName(prefix: string): string {
  sequence += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${sequence}`;
}
