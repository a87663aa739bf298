import { createBudget, MemoryStore, setDefaultBudget } from '@tollgate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILE, sized } from '../profile';
import { coreEntryPoints, HARNESS_BUDGETS, LEGIT_CONTEXT, NOW } from './core-entry-points';
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

// Every public entry point of core, fed generated hostile values in every place that takes
// a caller's value; each must be refused with a ValidationError (trackUsage: false) and
// leave the store and the catalog as they were.
const RUNS = sized({ ci: 100, full: 500 });

const store = new StoreJournal(new MemoryStore());
const budget = createBudget({ store, budgets: HARNESS_BUDGETS, clock: () => NOW });
const entryPoints = coreEntryPoints({ budget, spareStore: () => new MemoryStore() });
const tallies: Tally[] = [];

beforeAll(async () => {
  setDefaultBudget(budget);
  // Some spend first, so that a write a refusal should not have made would show.
  await budget.recordUsage({
    provider: 'openai',
    model: 'gpt-4o-mini',
    usage: { inputTokens: 1_000, outputTokens: 500 },
    context: LEGIT_CONTEXT,
  });
});

afterAll(async () => {
  console.info(`[hostile-input/core] profile ${PROFILE}, seed ${BASE_SEED}: ${summaryLine(tallies)}`);
  for (const entry of tallies)
    console.info(`  ${entry.entryPoint}: ${entry.rejected}/${entry.inputs} rejected`);
  await budget.close();
});

describe('hostile input to core', () => {
  for (const entryPoint of entryPoints) {
    it(`refuses ${RUNS} hostile inputs to ${entryPoint.name}, writing nothing`, async () => {
      expect(await deadPositions(entryPoint)).toEqual([]);
      const tallied = tally(entryPoint.name);
      tallies.push(tallied);
      for (const sample of samplesOf(entryPoint, RUNS, BASE_SEED)) {
        const before = JSON.stringify(entryPoint.state?.());
        store.mark();
        const outcome = await attempt(entryPoint, sample);
        const changed = JSON.stringify(entryPoint.state?.()) !== before ? 'changed state' : undefined;
        count(tallied, outcome, store.problems() ?? changed);
      }
      expect(tallied.failures).toEqual([]);
      expect(tallied).toMatchObject({ inputs: RUNS, rejected: RUNS });
    });
  }
});
