import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type CommitRequest,
  type CounterLimit,
  StorageUnavailableError,
  type UsageRecord,
  ValidationError,
} from '@tollgate/core';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store';
import { temporaryDirectory } from './testing/temporary-directory';

const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);
const DAY = '2026-11-29';
const KEY = { budgetId: 'app', scope: 'global', period: 'month:2026-11' };
const LIMIT: CounterLimit = { ...KEY, capacity: 1_000_000, periodEnd: Date.UTC(2026, 11, 1) };
const CHARGE = { ...KEY, day: DAY };

function record(requestId: string, cost: number, overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    requestId,
    timestamp: T0,
    day: DAY,
    provider: 'openai',
    model: 'gpt-4o-mini',
    service: 'llm',
    requestType: 'chat',
    tags: [],
    cost,
    reserved: 0,
    overrun: 0,
    estimated: false,
    priceSource: 'genai-prices',
    inputTokens: 1000,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 100,
    reasoningTokens: 0,
    audioMilliseconds: 0,
    characters: 0,
    images: 0,
    pages: 0,
    ...overrides,
    catalogModel: overrides.catalogModel ?? overrides.model ?? 'gpt-4o-mini',
  };
}

function commitOf(requestId: string, cost: number, overrides: Partial<UsageRecord> = {}): CommitRequest {
  return { record: record(requestId, cost, overrides), counters: [CHARGE], now: T0 };
}

const WRITE_LOCK_HOLDER = fileURLToPath(new URL('./testing/write-lock-holder.mjs', import.meta.url));

/** Another process holding the write lock of the file at `path` until `release()`. */
async function holdWriteLock(path: string): Promise<{ release(): void; exitCode: Promise<number | null> }> {
  const child = spawn(process.execPath, [WRITE_LOCK_HOLDER, path], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exitCode = once(child, 'exit').then(([code]) => code as number | null);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('LOCKED')) resolve();
    });
    void exitCode.then((code) => reject(new Error(`the lock holder exited (${code}) before locking`)));
  });
  return { release: () => child.stdin!.write('release\n'), exitCode };
}

const directory = temporaryDirectory();
let files = 0;
const freshPath = () => directory.file(`store-${files++}.db`);
afterAll(() => directory.remove());

describe('SqliteStore options', () => {
  it.each([
    ['no options', undefined, 'options'],
    ['a path that is not a string', { path: 42 }, 'path'],
    ['an empty path', { path: '  ' }, 'path'],
    ['a path with a NUL character', { path: 'usage\u0000.db' }, 'path'],
    ['a fractional busy timeout', { path: ':memory:', busyTimeoutMs: 1.5 }, 'busyTimeoutMs'],
    ['a negative busy timeout', { path: ':memory:', busyTimeoutMs: -1 }, 'busyTimeoutMs'],
    ['a busy timeout above ten minutes', { path: ':memory:', busyTimeoutMs: 600_001 }, 'busyTimeoutMs'],
    ['a busy timeout that is not a number', { path: ':memory:', busyTimeoutMs: '5000' }, 'busyTimeoutMs'],
  ])('refuses %s with a ValidationError naming the field', (_, options, field) => {
    const attempt = () => new SqliteStore(options as never);
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (error) {
      expect((error as ValidationError).field).toBe(field);
    }
  });

  it('creates the parent directories of the file and opens it in WAL mode', async () => {
    const path = directory.file('nested/deeper/usage.db');
    const store = new SqliteStore({ path });
    await store.close();
    expect(existsSync(path)).toBe(true);
    const database = new BetterSqlite3(path, { readonly: true });
    expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
    database.close();
  });

  it('waits for another process’s write lock, and takes it once that process lets go', async () => {
    const path = freshPath();
    const store = new SqliteStore({ path, busyTimeoutMs: 60_000 });
    expect(await store.readCounters([KEY], T0)).toEqual([{ ...KEY, committed: 0, reserved: 0 }]);
    const holder = await holdWriteLock(path);
    // Told to let go just before the reserve, which better-sqlite3 runs synchronously: the lock is
    // still held when the reserve meets it, and the reserve succeeds only by waiting for it.
    holder.release();
    expect(
      await store.reserve({ reservationId: 'r1', amount: 1, counters: [LIMIT], leaseMs: 1_000, now: T0 }),
    ).toMatchObject({ ok: true });
    expect(await holder.exitCode).toBe(0);
    await store.close();
  });

  it('fails with StorageUnavailableError, caused by the lock, when the lock outlasts busyTimeoutMs', async () => {
    const path = freshPath();
    const store = new SqliteStore({ path, busyTimeoutMs: 100 });
    const other = new BetterSqlite3(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      const refusal = await store
        .reserve({ reservationId: 'r1', amount: 1, counters: [LIMIT], leaseMs: 1_000, now: T0 })
        .catch((error: unknown) => error);
      expect(StorageUnavailableError.isInstance(refusal)).toBe(true);
      expect((refusal as Error).cause).toMatchObject({ code: 'SQLITE_BUSY' });
      // Readers are not blocked by a writer in WAL mode.
      expect(await store.readCounters([KEY], T0)).toEqual([{ ...KEY, committed: 0, reserved: 0 }]);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(
      (await store.reserve({ reservationId: 'r1', amount: 1, counters: [LIMIT], leaseMs: 1_000, now: T0 }))
        .ok,
    ).toBe(true);
    await store.close();
  });
});

describe('SqliteStore persistence', () => {
  it('keeps counters, reservations, records, rollups and daily spend across a reopen', async () => {
    const path = freshPath();
    const first = new SqliteStore({ path });
    await first.reserve({ reservationId: 'held', amount: 500, counters: [LIMIT], leaseMs: 60_000, now: T0 });
    await first.commit(commitOf('q1', 120, { userId: 'u-1', tags: ['beta'] }));
    await first.close();

    const second = new SqliteStore({ path });
    expect(await second.readCounters([KEY], T0)).toEqual([{ ...KEY, committed: 120, reserved: 500 }]);
    expect(await second.getRecord('q1')).toEqual(record('q1', 120, { userId: 'u-1', tags: ['beta'] }));
    expect(await second.commit(commitOf('q1', 120))).toMatchObject({ recorded: false });
    expect((await second.queryRollups({ fromDay: DAY, toDay: DAY })).map((row) => row.cost)).toEqual([120]);
    expect(await second.readDailySpend({ ...KEY, fromDay: DAY, toDay: DAY })).toEqual([
      { day: DAY, cost: 120 },
    ]);
    // The reservation taken before the reopen still expires on its lease.
    expect(await second.readCounters([KEY], T0 + 60_000)).toEqual([{ ...KEY, committed: 120, reserved: 0 }]);
    await second.close();
  });

  it('close is idempotent and later calls fail with StorageUnavailableError', async () => {
    const store = new SqliteStore({ path: freshPath() });
    await store.close();
    await store.close();
    await expect(store.readCounters([KEY], T0)).rejects.toSatisfy(StorageUnavailableError.isInstance);
    await expect(store.commit(commitOf('q1', 1))).rejects.toSatisfy(StorageUnavailableError.isInstance);
  });
});

describe('SqliteStore details', () => {
  it('reclaims expired reservations in the read and frees their rows', async () => {
    const path = freshPath();
    const store = new SqliteStore({ path });
    await store.reserve({ reservationId: 'r1', amount: 300, counters: [LIMIT], leaseMs: 1_000, now: T0 });
    expect((await store.readCounters([KEY], T0 + 999))[0]!.reserved).toBe(300);
    expect((await store.readCounters([KEY], T0 + 1_000))[0]!.reserved).toBe(0);
    const database = new BetterSqlite3(path, { readonly: true });
    expect(database.prepare('SELECT count(*) AS count FROM reservations').get()).toEqual({ count: 0 });
    expect(database.prepare('SELECT count(*) AS count FROM reservation_counters').get()).toEqual({
      count: 0,
    });
    database.close();
    // Committing the expired reservation later records the cost without releasing it twice.
    await store.commit({ ...commitOf('q1', 200), reservationId: 'r1', now: T0 + 2_000 });
    expect(await store.readCounters([KEY], T0 + 2_000)).toEqual([{ ...KEY, committed: 200, reserved: 0 }]);
    await store.close();
  });

  it('takes from and charges a counter listed twice only once', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    await store.reserve({
      reservationId: 'r1',
      amount: 300,
      counters: [LIMIT, LIMIT],
      leaseMs: 60_000,
      now: T0,
    });
    expect((await store.readCounters([KEY], T0))[0]!.reserved).toBe(300);
    await store.commit({ ...commitOf('q1', 250), reservationId: 'r1', counters: [CHARGE, CHARGE] });
    expect(await store.readCounters([KEY], T0)).toEqual([{ ...KEY, committed: 250, reserved: 0 }]);
    expect(await store.readDailySpend({ ...KEY, fromDay: DAY, toDay: DAY })).toEqual([
      { day: DAY, cost: 250 },
    ]);
    await store.close();
  });

  it('keeps amounts up to Number.MAX_SAFE_INTEGER exact and refuses fractional money', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    const large = Number.MAX_SAFE_INTEGER - 1;
    await store.commit(commitOf('large', large));
    expect((await store.getRecord('large'))!.cost).toBe(large);
    expect((await store.readCounters([KEY], T0))[0]!.committed).toBe(large);
    await expect(store.commit(commitOf('fractional', 1.5))).rejects.toThrow(/INTEGER/);
    expect(await store.getRecord('fractional')).toBeUndefined();
    expect((await store.readCounters([KEY], T0))[0]!.committed).toBe(large);
    await store.close();
  });

  it('refuses a rollup filter on an unknown dimension', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    await expect(
      store.queryRollups({ fromDay: DAY, toDay: DAY, where: { tags: 'x' } as never }),
    ).rejects.toSatisfy(ValidationError.isInstance);
    await store.close();
  });
});

describe('SqliteStore records', () => {
  it('persist exactly the fields of a UsageRecord: counts and ids, no prompt or response text', async () => {
    const path = freshPath();
    const store = new SqliteStore({ path });
    await store.close();
    const database = new BetterSqlite3(path, { readonly: true });
    const columns = (database.prepare('PRAGMA table_info(usage_records)').all() as { name: string }[]).map(
      (column) => column.name.replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase()),
    );
    database.close();
    expect(columns.sort()).toEqual(
      Object.keys(record('q1', 1, { userId: 'u', projectId: 'p', servedModel: 's', rawUsage: '{}' })).sort(),
    );
  });
});

describe('SqliteStore.commitMany', () => {
  it('commits a batch like one commit each, duplicates included', async () => {
    const store = new SqliteStore({ path: freshPath() });
    await store.reserve({ reservationId: 'r1', amount: 400, counters: [LIMIT], leaseMs: 60_000, now: T0 });
    const results = await store.commitMany([
      { ...commitOf('q1', 300), reservationId: 'r1' },
      commitOf('q2', 50, { model: 'gpt-4o' }),
      commitOf('q1', 300),
    ]);
    expect(results.map((result) => result.recorded)).toEqual([true, true, false]);
    expect(results.map((result) => result.counters[0]!.committed)).toEqual([300, 350, 350]);
    expect(await store.readCounters([KEY], T0)).toEqual([{ ...KEY, committed: 350, reserved: 0 }]);
    expect(await store.commitMany([])).toEqual([]);
    await store.close();
  });

  it('writes nothing when one commit of the batch fails', async () => {
    const store = new SqliteStore({ path: freshPath() });
    await expect(store.commitMany([commitOf('q1', 10), commitOf('q2', 0.5)])).rejects.toThrow();
    expect(await store.getRecord('q1')).toBeUndefined();
    expect(await store.readCounters([KEY], T0)).toEqual([{ ...KEY, committed: 0, reserved: 0 }]);
    expect(await store.queryRollups({ fromDay: DAY, toDay: DAY })).toEqual([]);
    await store.close();
  });
});

describe('SqliteStore query plans', () => {
  const path = directory.file('plans.db');

  function planOf(sql: string, ...parameters: unknown[]): string {
    const database = new BetterSqlite3(path, { readonly: true });
    try {
      const rows = database.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as { detail: string }[];
      return rows.map((row) => row.detail).join('\n');
    } finally {
      database.close();
    }
  }

  it('reads rollups and daily spend by index over a day range, never the records', async () => {
    const store = new SqliteStore({ path });
    await store.close();
    const statements = (store as unknown as { statements: Record<string, { source: string }> }).statements;
    const rollups = planOf(statements.selectRollups!.source, {
      fromDay: '2026-11-01',
      toDay: DAY,
      provider: null,
      model: null,
      catalogModel: null,
      service: null,
      requestType: null,
      userId: 'u-1',
      projectId: null,
    });
    expect(rollups).toMatch(/SEARCH model_rollups USING PRIMARY KEY \(day>\? AND day<\?\)/);
    expect(rollups).toMatch(/SEARCH rollups USING PRIMARY KEY \(day>\? AND day<\?\)/);
    expect(rollups).not.toMatch(/usage_records/);
    expect(planOf(statements.selectDailySpend!.source, 'app', 'global', '2026-11-01', DAY)).toMatch(
      /SEARCH daily_spend USING PRIMARY KEY \(budget_id=\? AND scope=\? AND day>\? AND day<\?\)/,
    );
    expect(planOf(statements.deleteExpiredReservations!.source, T0)).toMatch(/reservations_by_expiry/);
    expect(
      planOf(statements.subtractReservedFromCounters!.source, { reservationId: 'r1', amount: 1 }),
    ).toMatch(/SEARCH counters USING PRIMARY KEY/);
  });

  it('reads a page of records and of counters along an index, in its order, without sorting', async () => {
    const store = new SqliteStore({ path });
    await store.close();
    const statements = (store as unknown as { statements: Record<string, { source: string }> }).statements;
    const filters = {
      provider: null,
      model: null,
      catalogModel: null,
      service: null,
      requestType: null,
      userId: 'u-1',
      projectId: null,
    };
    const records = planOf(statements.selectRecords!.source, {
      afterTimestamp: T0,
      afterRequestId: 'q1',
      to: T0 + 1,
      limit: 100,
      ...filters,
    });
    expect(records).toMatch(
      /SEARCH usage_records USING INDEX usage_records_by_time \(\(timestamp,request_id\)>\(\?,\?\) AND timestamp<\?\)/,
    );
    expect(records).not.toMatch(/TEMP B-TREE/);
    const counters = planOf(statements.selectCountersOfPeriod!.source, {
      budgetId: 'per-user',
      period: `day:${DAY}`,
      afterScope: '',
      limit: 100,
    });
    expect(counters).toMatch(
      /SEARCH counters USING INDEX counters_by_period \(budget_id=\? AND period=\? AND scope>\?\)/,
    );
    expect(counters).not.toMatch(/TEMP B-TREE/);
  });
});
