import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { PROFILE, sized } from '../profile';
import {
  attempt,
  BASE_SEED,
  count,
  deadPositions,
  samplesOf,
  summaryLine,
  type Tally,
  tally,
} from './entry-point';
import { mongoStoreEntryPoint, sqliteStoreEntryPoint } from './store-entry-points';

declare module 'vitest' {
  export interface ProvidedContext {
    mongodbUri: string;
  }
}

// The stores' constructors, fed generated hostile options: each must be refused with a
// ValidationError (an over-long SQLite path: the store's typed StorageUnavailableError),
// and no database file may appear.
const RUNS = sized({ ci: 100, full: 500 });
const directory = mkdtempSync(join(tmpdir(), 'tollgate-hostile-options-'));
const entryPoints = [sqliteStoreEntryPoint(directory), mongoStoreEntryPoint(inject('mongodbUri'))];
const tallies: Tally[] = [];

/** What a refused constructor must not have created: files here and in the working directory. */
function files(): string {
  return JSON.stringify([readdirSync(directory).sort(), readdirSync(process.cwd()).sort()]);
}

afterAll(() => {
  console.info(`[hostile-input/stores] profile ${PROFILE}, seed ${BASE_SEED}: ${summaryLine(tallies)}`);
  rmSync(directory, { recursive: true, force: true });
});

describe('hostile store options', () => {
  for (const entryPoint of entryPoints) {
    it(`refuses ${RUNS} hostile option sets of ${entryPoint.name}`, async () => {
      expect(await deadPositions(entryPoint)).toEqual([]);
      const tallied = tally(entryPoint.name);
      tallies.push(tallied);
      for (const sample of samplesOf(entryPoint, RUNS, BASE_SEED)) {
        const before = files();
        const outcome = await attempt(entryPoint, sample);
        count(tallied, outcome, files() === before ? undefined : 'a file appeared');
      }
      expect(tallied.failures).toEqual([]);
      expect(tallied).toMatchObject({ inputs: RUNS, rejected: RUNS });
    });
  }
});
