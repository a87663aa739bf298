import { createBudget, setDefaultBudget } from '@tollgate/core';
import { MongoStore } from '@tollgate/mongodb';
import fc from 'fast-check';
import { BSON, type CommandStartedEvent, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROFILE, sized } from '../profile';
import { coreEntryPoints, HARNESS_BUDGETS, NOW } from './core-entry-points';
import {
  attempt,
  BASE_SEED,
  count,
  deadPositions,
  type EntryPoint,
  samplesOf,
  summaryLine,
  type Tally,
  tally,
} from './entry-point';
import { MONGO_STORE_OPERATORS } from '../../../packages/mongodb/src/testing/store-operators';
import { inspect, inspection } from './mongo-command-inspection';
import { mongoStoreMethodEntryPoints } from './mongo-store-method-entry-points';
import { StoreJournal } from './store-journal';

declare module 'vitest' {
  export interface ProvidedContext {
    mongodbUri: string;
  }
}

// The core entry points and MongoStore's own methods, fed the same generated hostile
// inputs as the in-memory run, on a MongoStore whose client reports every command. Between
// entry points, legitimate traffic with ids full of dots, dollars, pipes and backslashes.
// Every command is then walked (mongo-command-inspection.ts).
const RUNS = sized({ ci: 100, full: 500 });
/** Rounds of legitimate traffic before each entry point. */
const LEGITIMATE_ROUNDS = sized({ ci: 1, full: 4 });
const uri = inject('mongodbUri');
const dbName = `hostile_${process.pid}_${Date.now().toString(36)}`;
const PREFIX = 'tg_';
const monitored = new MongoClient(uri, { monitorCommands: true });
const observer = new MongoClient(uri);
const mongoStore = new MongoStore({ client: monitored, dbName, collectionPrefix: PREFIX });
const store = new StoreJournal(mongoStore);
const budget = createBudget({ store, budgets: HARNESS_BUDGETS, clock: () => NOW });

const events: { event: CommandStartedEvent; warmUp: boolean }[] = [];
let warmingUp = true;
monitored.on('commandStarted', (event) => events.push({ event, warmUp: warmingUp }));

/** Values handed in legitimately (they must reach MongoDB, as values only) and hostile strings (never). */
const supplied = new Set<string>();
const hostileStrings = new Set<string>();
const legitStrings = new Set<string>();
const tallies: Tally[] = [];

const valueCharacters = [...'abcXYZ019.$|\\:@ {}"\'-_/'];
const legitValue = fc
  .string({ unit: fc.constantFrom(...valueCharacters), minLength: 1, maxLength: 24 })
  .map((text) => `v${text}`);
const legitKey = legitValue.map((text) => text.replaceAll('.', '_'));

/** Legitimate traffic: records, a gated and settled call, a breakdown and statuses, with generated ids. */
async function legitimateRound(seed: number): Promise<void> {
  const [userId, projectId, tag, requestType, team] = [
    ...fc.sample(legitValue, { numRuns: 2, seed }),
    ...fc.sample(legitKey, { numRuns: 2, seed: seed + 1 }),
    ...fc.sample(legitValue, { numRuns: 1, seed: seed + 2 }),
  ] as string[];
  for (const value of [userId!, projectId!, tag!, requestType!, team!]) supplied.add(value);
  const context = { userId, projectId, tags: [tag!], requestType, attributes: { team: team! } };
  await budget.recordUsage({
    provider: 'openai',
    model: 'gpt-4o-mini',
    usage: { inputTokens: 100, outputTokens: 50 },
    context,
    requestId: `${userId}#record`,
  });
  const admission = await budget.gate({
    provider: 'anthropic',
    model: 'claude-3-5-haiku-latest',
    inputTokens: 100,
    maxOutputTokens: 100,
    context,
  });
  await admission.settle({ usage: admission.estimate.usage, requestId: `${userId}#gated` });
  // And one without a context: the store then writes core's defaults (request type "default").
  await budget.recordUsage({
    provider: 'mistral',
    model: 'mistral-small-latest',
    usage: { inputTokens: 10 },
  });
  await budget.breakdown({ by: ['userId', 'projectId'], where: { userId: userId!, projectId: projectId! } });
  await budget.status(context);
}

/**
 * Everything in the store's collections, by an observer that is not monitored; empty counters left
 * out, and so are the ids of the holds a counter gave back (`released`): a refused call's hold is
 * given back, which the store notes with the hold's own id, never anything the caller passed.
 */
async function dump(): Promise<string> {
  const database = observer.db(dbName);
  const collections = (await database.listCollections({}, { nameOnly: true }).toArray())
    .map((collection) => collection.name)
    .filter((name) => name.startsWith(PREFIX))
    .sort();
  const contents: Record<string, unknown[]> = {};
  for (const name of collections) {
    const documents = await database
      .collection(name)
      .find({}, { sort: { _id: 1 } })
      .toArray();
    contents[name] = documents
      .filter(
        (document) =>
          !(
            name.endsWith('counters') &&
            Number(document.committed) === 0 &&
            Number(document.reserved) === 0 &&
            (document.holds as unknown[]).length === 0
          ),
      )
      .map(({ released: _released, ...document }) => document);
  }
  return BSON.EJSON.stringify(contents, { relaxed: false });
}

function collectStrings(value: unknown, into: Set<string>, depth = 0): void {
  if (typeof value === 'string') into.add(value);
  else if (value !== null && typeof value === 'object' && depth < 6 && !('_bsontype' in value))
    for (const [key, child] of Object.entries(value)) {
      into.add(key);
      collectStrings(child, into, depth + 1);
    }
}

beforeAll(async () => {
  setDefaultBudget(budget);
  // Warm-up: every kind of operation once, so that the store's own vocabulary (field names,
  // collection names, fixed values) is known before any hostile input is tried.
  await legitimateRound(BASE_SEED);
  for (const entryPoint of mongoStoreMethodEntryPoints(mongoStore)) await deadPositions(entryPoint);
  warmingUp = false;
});

afterAll(async () => {
  await observer.db(dbName).dropDatabase();
  await Promise.all([monitored.close(), observer.close()]);
});

/** `watch()` is called before each input; what it returns, after, says what changed (or undefined). */
type Watch = () => Promise<() => Promise<string | undefined>>;

function run(entryPoint: EntryPoint, watch: Watch) {
  it(`refuses ${RUNS} hostile inputs to ${entryPoint.name}, with nothing reaching MongoDB`, async () => {
    for (let round = 0; round < LEGITIMATE_ROUNDS; round++)
      await legitimateRound(BASE_SEED + tallies.length * 101 + round * 7);
    for (const position of entryPoint.positions) collectStrings(position.legit, legitStrings);
    expect(await deadPositions(entryPoint)).toEqual([]);
    const tallied = tally(entryPoint.name);
    tallies.push(tallied);
    for (const sample of samplesOf(entryPoint, RUNS, BASE_SEED)) {
      if (typeof sample.value === 'string') hostileStrings.add(sample.value);
      else collectStrings(sample.value, hostileStrings);
      const changes = await watch();
      store.mark();
      const outcome = await attempt(entryPoint, sample);
      count(tallied, outcome, store.problems() ?? (await changes()));
    }
    expect(tallied.failures).toEqual([]);
    expect(tallied).toMatchObject({ inputs: RUNS, rejected: RUNS });
  });
}

describe('hostile input on a MongoStore, every command monitored', () => {
  const byDump: Watch = async () => {
    const before = await dump();
    return async () => ((await dump()) === before ? undefined : 'the database changed');
  };
  const byCommands: Watch = async () => {
    const before = events.length;
    return async () => (events.length === before ? undefined : `${events.length - before} command(s) sent`);
  };
  for (const entryPoint of coreEntryPoints({ budget, spareStore: () => mongoStore })) run(entryPoint, byDump);
  for (const entryPoint of mongoStoreMethodEntryPoints(mongoStore)) run(entryPoint, byCommands);

  it('sent only its own operators, never a caller value as a key or an object as an id', () => {
    const vocabulary = new Set<string>();
    for (const { event } of events.filter((entry) => entry.warmUp)) collectStrings(event.command, vocabulary);
    // A hostile string that is also an ordinary word of the store (a field name, "app") proves nothing either way.
    const hostile = new Set(
      [...hostileStrings].filter(
        (value) =>
          value.length > 1 &&
          !MONGO_STORE_OPERATORS.has(value) &&
          !vocabulary.has(value) &&
          !supplied.has(value) &&
          !legitStrings.has(value),
      ),
    );
    const inspected = inspection();
    for (const { event } of events) inspect(event, supplied, hostile, inspected);
    const texts = events.map(({ event }) => JSON.stringify(event.command));
    const reached = [...supplied].filter((value) =>
      texts.some((text) => text.includes(JSON.stringify(value).slice(1, -1))),
    );
    console.info(
      `[hostile-input/mongodb] profile ${PROFILE}, seed ${BASE_SEED}: ${summaryLine(tallies)}; ` +
        `${inspected.commands} commands inspected, ${inspected.violations.length} violations; ` +
        `${supplied.size} legitimate tricky values (${reached.length} seen reaching MongoDB as values), ` +
        `${hostile.size} distinct hostile strings checked`,
    );
    expect(inspected.violations).toEqual([]);
    expect(inspected.commands).toBeGreaterThan(1_000);
    expect(reached).toEqual([...supplied]);
  });
});
