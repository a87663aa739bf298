import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createBudget, type RollupRow } from '@tollgate/core';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SQLITE_MIGRATIONS } from './sqlite-schema-migrations';
import { SqliteStore } from './sqlite-store';
import { temporaryDirectory } from './testing/temporary-directory';

// Written by @tollgate/sqlite at schema version 1 (see __fixtures__/write-schema-1-store.mjs): five
// calls over two days for two users, recorded under the catalog's alias as that version did
// (gpt-4o-2024-08-06 as gpt-4o), and one call still holding its reservation.
const FIXTURE = fileURLToPath(new URL('./__fixtures__/schema-1-store.db', import.meta.url));
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const APP = { budgetId: 'app', scope: 'global', period: 'month:2026-11' };
const U1 = { budgetId: 'per-user', scope: 'user:u-1', period: 'day:2026-11-29' };

const directory = temporaryDirectory();
let copies = 0;
afterAll(() => directory.remove());

function copyOfFixture(): string {
  const path = directory.file(`schema-1-${copies++}.db`);
  copyFileSync(FIXTURE, path);
  return path;
}

/** What schema 1 holds, read with plain SQL before anything migrates it. */
function schemaOneContents(path: string) {
  const database = new BetterSqlite3(path, { readonly: true });
  try {
    return {
      version: database.pragma('user_version', { simple: true }) as number,
      records: database
        .prepare(
          'SELECT request_id AS requestId, model, cost FROM usage_records ORDER BY timestamp, request_id',
        )
        .all() as { requestId: string; model: string; cost: number }[],
      counters: database.prepare('SELECT budget_id, scope, period, committed, reserved FROM counters').all(),
      rollupCost: (database.prepare('SELECT sum(cost) AS cost FROM rollups').get() as { cost: number }).cost,
    };
  } finally {
    database.close();
  }
}

const sumOf = (rows: readonly RollupRow[]) => rows.reduce((sum, row) => sum + row.cost, 0);

describe('a store written at schema version 1', () => {
  it('is migrated on open, keeping every record, counter, hold and rollup', async () => {
    const path = copyOfFixture();
    const before = schemaOneContents(path);
    expect(before.version).toBe(1);
    expect(before.records.map((record) => record.model)).toContain('gpt-4o');

    const store = new SqliteStore({ path });
    const records = await store.readRecords({ limit: 100 });
    // Schema 1 kept the catalog id as the model: it stays the model and is the catalog model.
    expect(
      records.map((record) => [record.requestId, record.model, record.catalogModel, record.cost]),
    ).toEqual(before.records.map((record) => [record.requestId, record.model, record.model, record.cost]));
    expect(records.every((record) => record.servedModel === undefined)).toBe(true);
    expect(await store.getRecord('v1-call-0')).toEqual(records[0]);

    const counters = await store.readCounters([APP, U1], NOW);
    expect(counters).toEqual([
      { ...APP, committed: 214_100_000, reserved: 750_000 },
      { ...U1, committed: 154_000_000, reserved: 0 },
    ]);
    expect(
      (await store.listCounters({ budgetId: 'per-user', period: 'day:2026-11-28', limit: 10, now: NOW })).map(
        (state) => [state.scope, state.committed],
      ),
    ).toEqual([
      ['user:u-1', 35_000_000],
      ['user:u-2', 20_000_000],
    ]);

    const rollups = await store.queryRollups({ fromDay: '2026-11-01', toDay: '2026-11-30' });
    expect(sumOf(rollups)).toBe(before.rollupCost);
    expect(rollups.every((row) => row.catalogModel === row.model)).toBe(true);
    expect(
      sumOf(
        await store.queryRollups({
          fromDay: '2026-11-28',
          toDay: '2026-11-29',
          where: { catalogModel: 'gpt-4o' },
        }),
      ),
    ).toBe(145_000_000);
    expect(await store.readBudgets()).toEqual([]);
    await store.close();

    const database = new BetterSqlite3(path, { readonly: true });
    expect(database.pragma('user_version', { simple: true })).toBe(SQLITE_MIGRATIONS.length);
    database.close();
  });

  it('takes new calls beside the old ones: budgets saved, records as called, rollups merged', async () => {
    const path = copyOfFixture();
    const before = schemaOneContents(path);
    const budget = createBudget({
      store: new SqliteStore({ path }),
      budgets: [
        { id: 'app', limitUsd: 30, period: 'month', timeZone: 'Europe/Paris' },
        { id: 'per-user', limitUsd: 2, period: 'day', scope: 'user' },
      ],
      clock: () => NOW,
    });
    const { record } = await budget.recordUsage({
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      requestId: 'v2-call',
      usage: { inputTokens: 1_000, outputTokens: 100 },
      context: { userId: 'u-1' },
    });
    expect(record).toMatchObject({ model: 'gpt-4o-2024-08-06', catalogModel: 'gpt-4o' });
    const [app] = await budget.status();
    expect(app!.usedNano).toBe(214_100_000 + record.cost);
    const byModel = await budget.breakdown({
      by: ['model', 'catalogModel'],
      from: '2026-11-28',
      to: '2026-11-29',
    });
    expect(byModel.total.cost).toBe(before.rollupCost + record.cost);
    expect(byModel.groups.map((group) => `${group.key.model} ${group.key.catalogModel}`).sort()).toEqual([
      'claude-3-5-haiku-latest claude-3-5-haiku-latest',
      'gpt-4o gpt-4o',
      'gpt-4o-2024-08-06 gpt-4o',
      'gpt-4o-mini gpt-4o-mini',
    ]);
    const page = await budget.records({ from: Date.UTC(2026, 10, 29), limit: 10 });
    expect(page.records.map((call) => call.requestId)).toEqual(['v1-call-3', 'v1-call-4', 'v2-call']);
    await budget.close();

    const reopened = new SqliteStore({ path });
    expect((await reopened.readBudgets()).map((definition) => [definition.id, definition.definedAt])).toEqual(
      [
        ['app', NOW],
        ['per-user', NOW],
      ],
    );
    await reopened.close();
  });

  it('still takes the writes of a process of the previous version that had the file open', async () => {
    const path = copyOfFixture();
    new SqliteStore({ path }).close();
    // The statements schema 1 prepared, run as that process would after the migration.
    const database = new BetterSqlite3(path);
    database
      .prepare(`
        INSERT OR IGNORE INTO usage_records (
          request_id, timestamp, day, provider, model, service, request_type, user_id, project_id, tags,
          cost, reserved, overrun, estimated, price_source, input_tokens, cache_read_tokens,
          cache_write_tokens, output_tokens, reasoning_tokens, audio_milliseconds, characters, images, pages)
        VALUES ('old-process', ${NOW}, '2026-11-29', 'openai', 'gpt-4o', 'llm', 'chat', NULL, NULL, '[]',
          1000, 0, 0, 0, 'genai-prices', 10, 0, 0, 1, 0, 0, 0, 0, 0)`)
      .run();
    database
      .prepare(`
        INSERT INTO rollups (
          day, provider, model, service, request_type, user_id, project_id, cost, requests, input_tokens,
          cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, audio_milliseconds,
          characters, images, pages, estimated_requests)
        VALUES ('2026-11-29', 'openai', 'gpt-4o', 'llm', 'chat', '', '', 1000, 1, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0)
        ON CONFLICT (day, provider, model, service, request_type, user_id, project_id) DO UPDATE SET
          cost = cost + excluded.cost, requests = requests + 1`)
      .run();
    database.close();

    const store = new SqliteStore({ path });
    expect(await store.getRecord('old-process')).toMatchObject({ model: 'gpt-4o', catalogModel: 'gpt-4o' });
    const today = await store.queryRollups({
      fromDay: '2026-11-29',
      toDay: '2026-11-29',
      where: { model: 'gpt-4o' },
    });
    expect(sumOf(today)).toBe(110_000_000 + 1_000);
    await store.close();
  });
});
