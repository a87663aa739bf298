import fc from 'fast-check';
import { type Collection, MongoClient } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { APPLIED_MARKERS_KEPT } from './applied-markers';
import { int64, numberOf } from './bson-number';
import { BULK_WRITE_LIMITS, type BulkWriteLimits, detectBulkWriteMode } from './bulk-write-limits';
import { applyIncrementsOnce, type MarkedIncrement } from './marked-increments';
import { testServerUri, uniqueName } from './testing/test-database';

interface SumDocument {
  _id: string;
  cost: unknown;
  applied?: string[];
  kind?: string;
}

const client = new MongoClient(testServerUri());
const dbName = uniqueName('marked_increments');
let collections = 0;
// The bulk writes the store would send to this server.
let limits: BulkWriteLimits;

beforeAll(async () => {
  limits = BULK_WRITE_LIMITS[await detectBulkWriteMode(client.db(dbName))];
});

afterAll(async () => {
  await client.db(dbName).dropDatabase();
  await client.close();
});

function freshCollection(): Collection<SumDocument> {
  collections += 1;
  return client.db(dbName).collection<SumDocument>(`sums${collections}`);
}

function increment(id: string, commit: number): MarkedIncrement {
  return { id, requestId: `c${commit}`, increments: { cost: int64(commit + 1) }, onInsert: { kind: 'sum' } };
}

async function sums(collection: Collection<SumDocument>): Promise<Map<string, number>> {
  const documents = await collection.find({}).toArray();
  return new Map(documents.map((document) => [document._id, numberOf(document.cost)]));
}

function expectedSums(increments: readonly MarkedIncrement[]): Map<string, number> {
  const expected = new Map<string, number>();
  const seen = new Set<string>();
  for (const {
    id,
    requestId,
    increments: { cost },
  } of increments) {
    if (seen.has(`${id}|${requestId}`)) continue;
    seen.add(`${id}|${requestId}`);
    expected.set(id, (expected.get(id) ?? 0) + numberOf(cost));
  }
  return expected;
}

it('adds each commit once, in grouped updates, also for more commits on one document than it keeps markers', async () => {
  const collection = freshCollection();
  const many = Array.from({ length: 3 * APPLIED_MARKERS_KEPT + 7 }, (_, commit) =>
    increment('counter', commit),
  );
  const few = Array.from({ length: 5 }, (_, commit) => increment(`row-${commit}`, commit));
  await applyIncrementsOnce(collection, [...many, ...few], limits);
  expect(await sums(collection)).toEqual(expectedSums([...many, ...few]));
  const counter = await collection.findOne({ _id: 'counter' });
  expect(counter).toMatchObject({ kind: 'sum' });
  // FerretDB v1 ignores `$slice` and keeps every marker.
  const capped = process.env.MONGODB_TEST_SERVER !== 'ferretdb';
  expect(counter!.applied).toHaveLength(capped ? APPLIED_MARKERS_KEPT : many.length);
  expect(counter!.applied!.at(-1)).toBe(`c${many.length - 1}`);
});

it('applies only the commits not applied yet when some of a batch were (a batch finished by someone else)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ document: fc.nat({ max: 3 }), commit: fc.nat({ max: 150 }) }), {
        minLength: 1,
        maxLength: 200,
      }),
      fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }),
      async (plan, appliedBefore) => {
        const collection = freshCollection();
        const increments = plan.map(({ document, commit }) => increment(`d${document}`, commit));
        const unique = [...new Map(increments.map((one) => [`${one.id}|${one.requestId}`, one])).values()];
        // Some were applied by an earlier, cut-off delivery; the batch then delivers them all.
        await applyIncrementsOnce(
          collection,
          unique.filter((_, index) => appliedBefore[index]),
          limits,
        );
        await applyIncrementsOnce(collection, unique, limits);
        expect(await sums(collection)).toEqual(expectedSums(unique));
      },
    ),
    { numRuns: 25, seed: 17 },
  );
});

it('two processes delivering disjoint commits to the same new documents at once both count', async () => {
  const collection = freshCollection();
  const first = Array.from({ length: 300 }, (_, commit) => increment(`d${commit % 3}`, commit));
  const second = Array.from({ length: 300 }, (_, commit) => increment(`d${commit % 3}`, 300 + commit));
  await Promise.all([
    applyIncrementsOnce(collection, first, limits),
    applyIncrementsOnce(collection, second, limits),
  ]);
  await Promise.all([
    applyIncrementsOnce(collection, second, limits),
    applyIncrementsOnce(collection, first, limits),
  ]);
  expect(await sums(collection)).toEqual(expectedSums([...first, ...second]));
});
