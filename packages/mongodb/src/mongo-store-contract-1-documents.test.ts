import { readFileSync } from 'node:fs';
import { createBudget } from '@tollgate/core';
import { BSON, type Document, MongoClient } from 'mongodb';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { MongoStore } from './mongo-store';
import { testServerUri, uniqueName } from './testing/test-database';

// The documents @tollgate/mongodb wrote under store contract v1 (see
// __fixtures__/write-contract-1-documents.mjs): five calls over two days for two users, recorded
// under the catalog's alias as that version did (gpt-4o-2024-08-06 as gpt-4o).
const FIXTURE = BSON.EJSON.parse(
  readFileSync(new URL('./__fixtures__/contract-1-documents.json', import.meta.url), 'utf8'),
  { relaxed: false },
) as Record<string, Document[]>;
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);

const client = new MongoClient(testServerUri());
const dbName = uniqueName('contract1');
let prefix = '';

beforeEach(async () => {
  prefix = `${uniqueName('v1')}_`;
  for (const [collection, documents] of Object.entries(FIXTURE))
    await client
      .db(dbName)
      .collection(prefix + collection)
      .insertMany(documents);
});

afterAll(async () => {
  await client.db(dbName).dropDatabase();
  await client.close();
});

const storeOverFixture = () => new MongoStore({ client, dbName, collectionPrefix: prefix });

describe('documents written under store contract v1', () => {
  it('read as before: the model they hold is their catalog model too', async () => {
    const store = storeOverFixture();
    const first = await store.getRecord('v1-call-0');
    expect(first).toMatchObject({ model: 'gpt-4o', catalogModel: 'gpt-4o', userId: 'u-1', cost: 35_000_000 });
    expect(first).not.toHaveProperty('servedModel');
    const records = await store.readRecords({ limit: 10 });
    expect(records.map((record) => record.requestId)).toEqual([
      'v1-call-0',
      'v1-call-1',
      'v1-call-2',
      'v1-call-3',
      'v1-call-4',
    ]);
    expect(
      (await store.readRecords({ limit: 10, where: { catalogModel: 'gpt-4o' } })).map(
        (record) => record.requestId,
      ),
    ).toEqual(['v1-call-0', 'v1-call-3']);

    const rollups = await store.queryRollups({ fromDay: '2026-11-28', toDay: '2026-11-29' });
    expect(rollups.every((row) => row.catalogModel === row.model)).toBe(true);
    expect(rollups.reduce((sum, row) => sum + row.cost, 0)).toBe(214_100_000);
    const haiku = await store.queryRollups({
      fromDay: '2026-11-28',
      toDay: '2026-11-29',
      where: { catalogModel: 'claude-3-5-haiku-latest' },
    });
    expect(haiku.map((row) => row.cost).sort()).toEqual([20_000_000, 44_000_000]);

    expect(
      (await store.listCounters({ budgetId: 'per-user', period: 'day:2026-11-28', limit: 10, now: NOW })).map(
        (state) => [state.scope, state.committed],
      ),
    ).toEqual([
      ['user:u-1', 35_000_000],
      ['user:u-2', 20_000_000],
    ]);
    expect(await store.readBudgets()).toEqual([]);
    await store.close();
  });

  it('go on counting beside new calls, and the budgets are saved once the app records again', async () => {
    const budget = createBudget({
      store: storeOverFixture(),
      budgets: [
        { id: 'app', limitUsd: 30, period: 'month', timeZone: 'Europe/Paris' },
        { id: 'per-user', limitUsd: 2, period: 'day', scope: 'user' },
      ],
      clock: () => NOW,
    });
    // The same rollup row as v1-call-3 (the model priced under its own name), and a new one for a dated id.
    const alias = await budget.recordUsage({
      provider: 'openai',
      model: 'gpt-4o',
      usage: { inputTokens: 1_000 },
      context: { userId: 'u-1', requestType: 'summarize' },
    });
    const dated = await budget.recordUsage({
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      usage: { inputTokens: 1_000 },
      context: { userId: 'u-1', requestType: 'summarize' },
    });
    expect(dated.record).toMatchObject({ model: 'gpt-4o-2024-08-06', catalogModel: 'gpt-4o' });
    const rows = await budget.store.queryRollups({
      fromDay: '2026-11-29',
      toDay: '2026-11-29',
      where: { catalogModel: 'gpt-4o' },
    });
    expect(rows.map((row) => [row.model, row.requests, row.cost])).toEqual(
      expect.arrayContaining([
        ['gpt-4o', 2, 110_000_000 + alias.record.cost],
        ['gpt-4o-2024-08-06', 1, dated.record.cost],
      ]),
    );
    expect(rows.length).toBe(2);
    const [app] = await budget.status();
    expect(app!.usedNano).toBe(214_100_000 + alias.record.cost + dated.record.cost);
    await budget.close();

    const reader = storeOverFixture();
    expect((await reader.readBudgets()).map((definition) => [definition.id, definition.definedAt])).toEqual([
      ['app', NOW],
      ['per-user', NOW],
    ]);
    await reader.close();
  });
});
