import { TollgateError } from '@tollgate/core';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateSchema, SQLITE_MIGRATIONS, type SqliteMigration } from './sqlite-schema-migrations';
import { SqliteStore } from './sqlite-store';
import { temporaryDirectory } from './testing/temporary-directory';

const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);
const KEY = { budgetId: 'app', scope: 'global', period: 'month:2026-11' };

const directory = temporaryDirectory();
let files = 0;
const freshPath = () => directory.file(`migrations-${files++}.db`);
afterAll(() => directory.remove());

function versionOf(path: string): number {
  const database = new BetterSqlite3(path, { readonly: true });
  try {
    return database.pragma('user_version', { simple: true }) as number;
  } finally {
    database.close();
  }
}

function tablesOf(path: string): string[] {
  const database = new BetterSqlite3(path, { readonly: true });
  try {
    return (
      database
        .prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'index') ORDER BY name")
        .all() as {
        name: string;
      }[]
    ).map((row) => row.name);
  } finally {
    database.close();
  }
}

describe('schema migrations', () => {
  it('bring a new file to the newest version, and reopening changes nothing', async () => {
    const path = freshPath();
    const store = new SqliteStore({ path });
    await store.commit({
      record: {
        requestId: 'q1',
        timestamp: T0,
        day: '2026-11-29',
        provider: 'openai',
        model: 'gpt-4o-mini',
        catalogModel: 'gpt-4o-mini',
        service: 'llm',
        requestType: 'chat',
        tags: [],
        cost: 42,
        reserved: 0,
        overrun: 0,
        estimated: false,
        priceSource: 'genai-prices',
        inputTokens: 1,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 1,
        reasoningTokens: 0,
        audioMilliseconds: 0,
        characters: 0,
        images: 0,
        pages: 0,
      },
      counters: [{ ...KEY, day: '2026-11-29' }],
      now: T0,
    });
    await store.close();
    expect(versionOf(path)).toBe(SQLITE_MIGRATIONS.length);
    const schema = tablesOf(path);

    const reopened = new SqliteStore({ path });
    expect((await reopened.readCounters([KEY], T0))[0]!.committed).toBe(42);
    await reopened.close();
    expect(versionOf(path)).toBe(SQLITE_MIGRATIONS.length);
    expect(tablesOf(path)).toEqual(schema);
  });

  it('migrate a version 1 file made by hand to a later version, keeping its data, once', () => {
    const path = freshPath();
    const database = new BetterSqlite3(path);
    SQLITE_MIGRATIONS[0]!(database);
    database.pragma('user_version = 1');
    database
      .prepare(
        "INSERT INTO counters (budget_id, scope, period, committed, reserved) VALUES ('app', 'global', 'm', 7, 0)",
      )
      .run();

    let runs = 0;
    const addNote: SqliteMigration = (db) => {
      runs++;
      db.exec("ALTER TABLE counters ADD COLUMN note TEXT NOT NULL DEFAULT ''");
    };
    const migrations = [SQLITE_MIGRATIONS[0]!, addNote];
    expect(migrateSchema(database, migrations)).toBe(2);
    expect(migrateSchema(database, migrations)).toBe(2);
    expect(runs).toBe(1);
    expect(database.pragma('user_version', { simple: true })).toBe(2);
    expect(database.prepare('SELECT committed, note FROM counters').get()).toEqual({
      committed: 7,
      note: '',
    });
    database.close();
  });

  it('roll back every step of a failing migration', () => {
    const database = new BetterSqlite3(freshPath());
    const failing: SqliteMigration = (db) => {
      db.exec('CREATE TABLE half_done (id INTEGER)');
      throw new Error('step failed');
    };
    expect(() => migrateSchema(database, [...SQLITE_MIGRATIONS, failing])).toThrow('step failed');
    expect(database.pragma('user_version', { simple: true })).toBe(0);
    expect(
      database.prepare("SELECT count(*) AS count FROM sqlite_schema WHERE type = 'table'").get(),
    ).toEqual({
      count: 0,
    });
    database.close();
  });

  it('refuse a file written by a newer version of the package', () => {
    const path = freshPath();
    const database = new BetterSqlite3(path);
    database.pragma(`user_version = ${SQLITE_MIGRATIONS.length + 1}`);
    database.close();
    expect(() => new SqliteStore({ path })).toThrow(/newer than/);
    try {
      new SqliteStore({ path });
    } catch (error) {
      expect(TollgateError.isInstance(error)).toBe(true);
    }
    expect(versionOf(path)).toBe(SQLITE_MIGRATIONS.length + 1);
  });
});
