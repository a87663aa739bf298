import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateSchema, SQLITE_MIGRATIONS } from './sqlite-schema-migrations';
import { SqliteStore } from './sqlite-store';
import { temporaryDirectory } from './testing/temporary-directory';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const directory = temporaryDirectory();
afterAll(() => directory.remove());

const RECORD = {
  requestId: 'chatcmpl-1',
  timestamp: NOW,
  day: '2026-11-29',
  provider: 'openai',
  model: 'gpt-4o-mini',
  catalogModel: 'gpt-4o-mini',
  service: 'llm' as const,
  requestType: 'chat',
  tags: [],
  cost: 3_000,
  reserved: 9_000,
  overrun: 0,
  estimated: true,
  priceSource: 'genai-prices',
  inputTokens: 20,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 5,
  reasoningTokens: 0,
  audioMilliseconds: 0,
  characters: 0,
  images: 0,
  pages: 0,
};

describe('schema 3: the untrusted usage block of a record', () => {
  it('adds a column to a schema 2 file: its records read back without one, new ones keep theirs', async () => {
    const path = directory.file('schema-2.db');
    const database = new BetterSqlite3(path);
    migrateSchema(database, SQLITE_MIGRATIONS.slice(0, 2));
    database
      .prepare(
        `INSERT INTO usage_records (request_id, timestamp, day, provider, model, catalog_model, service,
           request_type, tags, cost, reserved, overrun, estimated, price_source, input_tokens,
           cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, audio_milliseconds,
           characters, images, pages)
         VALUES ('old', ${NOW}, '2026-11-29', 'openai', 'gpt-4o-mini', 'gpt-4o-mini', 'llm', 'chat', '[]',
           100, 100, 0, 0, 'genai-prices', 10, 0, 0, 1, 0, 0, 0, 0, 0)`,
      )
      .run();
    database.close();

    const store = new SqliteStore({ path });
    expect(await store.getRecord('old')).not.toHaveProperty('rawUsage');
    const rebuilt = { ...RECORD, rawUsage: '{"prompt_tokens":-5000,"completion_tokens":10}' };
    await store.commit({ record: rebuilt, counters: [], now: NOW });
    expect(await store.getRecord('chatcmpl-1')).toEqual(rebuilt);
    await store.close();

    const reopened = new BetterSqlite3(path, { readonly: true });
    expect(reopened.pragma('user_version', { simple: true })).toBe(3);
    reopened.close();
  });
});
