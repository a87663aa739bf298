import { createBudget, MemoryStore } from '@tollgate/core';
import { type Emulator, startEmulator } from '@tollgate/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILE, sized } from '../profile';
import { adapterEntryPoints } from './adapter-entry-points';
import { NOW } from './core-entry-points';
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
import { StoreJournal } from './store-journal';

// The three wrappers, fed generated hostile options, clients, budgets and request fields:
// each must be refused with a ValidationError (when wrapping or when calling) before any
// request reaches the provider and before anything is written to the store.
const RUNS = sized({ ci: 100, full: 500 });
const store = new StoreJournal(new MemoryStore());
const budget = createBudget({ store, budgets: [{ id: 'app', limitUsd: 100 }], clock: () => NOW });
const tallies: Tally[] = [];
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  console.info(`[hostile-input/adapters] profile ${PROFILE}, seed ${BASE_SEED}: ${summaryLine(tallies)}`);
  await emulator?.close();
});

describe('hostile input to the adapters', () => {
  for (const name of ['wrapOpenAI', 'wrapAnthropic', 'wrapMistral']) {
    it(`refuses ${RUNS} hostile inputs to ${name} before any request`, async () => {
      const entryPoint = adapterEntryPoints(emulator, budget).find((entry) => entry.name === name)!;
      expect(await deadPositions(entryPoint)).toEqual([]);
      const tallied = tally(name);
      tallies.push(tallied);
      for (const sample of samplesOf(entryPoint, RUNS, BASE_SEED)) {
        const requests = emulator.requests.length;
        store.mark();
        const outcome = await attempt(entryPoint, sample);
        const sent = emulator.requests.length > requests ? 'a request reached the provider' : undefined;
        count(tallied, outcome, sent ?? store.problems());
      }
      expect(tallied.failures).toEqual([]);
      expect(tallied).toMatchObject({ inputs: RUNS, rejected: RUNS });
    });
  }
});
