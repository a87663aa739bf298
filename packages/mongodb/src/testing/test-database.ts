import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    mongodbUri: string;
  }
}

/** The server the global setup started, or `MONGODB_URI` when it is set. */
export function testServerUri(): string {
  return inject('mongodbUri');
}

let sequence = 0;

/** A database or prefix name no other test file or run uses (test files share one server). */
export function uniqueName(prefix: string): string {
  sequence += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${sequence}`;
}
