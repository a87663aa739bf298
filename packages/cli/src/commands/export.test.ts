import { spawn } from 'node:child_process';
import { closeSync, createReadStream, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { UsageRecord } from '@tollgate/core';
import { SqliteStore } from '@tollgate/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, runTollgate } from '../testing/run-tollgate';
import { temporaryDirectory } from '../testing/temporary-directory';

// better-sqlite3 as @tollgate/sqlite resolves it: the million records are written with one SQL statement.
const BetterSqlite3 = createRequire(import.meta.resolve('@tollgate/sqlite'))('better-sqlite3') as new (
  path: string,
) => { exec(sql: string): void; close(): void };

const T0 = Date.UTC(2026, 10, 1, 0, 0, 0);
const RECORDS = 1_000_000;
let directory: ReturnType<typeof temporaryDirectory>;

beforeAll(() => {
  directory = temporaryDirectory();
});
afterAll(() => directory.remove());

function record(requestId: string, overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    requestId,
    timestamp: T0,
    day: '2026-11-01',
    provider: 'openai',
    model: 'gpt-4o-2024-08-06',
    catalogModel: 'gpt-4o',
    service: 'llm',
    requestType: 'chat',
    tags: [],
    cost: 420_000,
    reserved: 500_000,
    overrun: 0,
    estimated: false,
    priceSource: 'genai-prices',
    inputTokens: 1_200,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 400,
    reasoningTokens: 0,
    audioMilliseconds: 0,
    characters: 0,
    images: 0,
    pages: 0,
    ...overrides,
  };
}

/**
 * Runs the command with its stdout going to a file (as `> file` would), reporting its peak memory,
 * with the JavaScript heap capped at 48 MB: an export that held its records would run out of it.
 */
function exportToFile(
  args: readonly string[],
  output: string,
): Promise<{ code: number | null; stderr: string }> {
  const fd = openSync(output, 'w');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], {
      env: {
        ...process.env,
        NODE_OPTIONS: '--max-old-space-size=48',
        TOLLGATE_TEST_REPORT_MAX_RSS: '1',
        TOLLGATE_NOW: '2026-12-01T00:00:00Z',
      },
      stdio: ['ignore', fd, 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      closeSync(fd);
      resolve({ code, stderr });
    });
  });
}

function maxRssKilobytesOf(stderr: string): number {
  const match = /tollgate: maxRSS (\d+) kB/.exec(stderr);
  if (!match) throw new Error(`no maxRSS line in ${JSON.stringify(stderr)}`);
  return Number(match[1]);
}

/** The number of lines of a file, and the ones asked for by index, read as a stream. */
async function linesOf(
  file: string,
  wanted: readonly number[],
): Promise<{ count: number; lines: Map<number, string> }> {
  const lines = new Map<number, string>();
  let count = 0;
  for await (const line of createInterface({
    input: createReadStream(file),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    if (wanted.includes(count)) lines.set(count, line);
    count++;
  }
  return { count, lines };
}

describe('tollgate export', () => {
  it('writes CSV and JSON lines in time order, from and to a day or a time, with exact amounts', async () => {
    const file = path.join(directory.path, 'small.db');
    const store = new SqliteStore({ path: file });
    const calls = [
      record('b', {
        timestamp: Date.UTC(2026, 10, 2, 23, 30),
        day: '2026-11-02',
        userId: '=cmd()',
        tags: ['a', 'b'],
      }),
      record('a', {
        timestamp: Date.UTC(2026, 10, 1, 8),
        servedModel: 'gpt-4o-2024-11-20',
        projectId: 'x,"y"',
      }),
      record('c', {
        timestamp: Date.UTC(2026, 10, 3, 0, 30),
        day: '2026-11-03',
        cost: 1_234_567_891,
        estimated: true,
      }),
    ];
    for (const call of calls) await store.commit({ record: call, counters: [], now: call.timestamp });
    await store.close();
    const store_ = ['--store', `sqlite:${file}`];

    const csv = await runTollgate(['export', '--format', 'csv', ...store_]);
    expect(csv.stderr).toBe('');
    expect(csv.code).toBe(0);
    const rows = csv.stdout.split('\r\n');
    expect(rows[0]).toBe(
      'requestId,time,timestamp,day,provider,model,servedModel,catalogModel,service,requestType,userId,projectId,tags,costUsd,costNano,reservedNano,overrunNano,estimated,priceSource,inputTokens,cacheReadTokens,cacheWriteTokens,outputTokens,reasoningTokens,audioMilliseconds,characters,images,pages',
    );
    expect(rows.slice(1, 4)).toEqual([
      `a,2026-11-01T08:00:00.000Z,${Date.UTC(2026, 10, 1, 8)},2026-11-01,openai,gpt-4o-2024-08-06,gpt-4o-2024-11-20,gpt-4o,llm,chat,,"x,""y""",,0.000420000,420000,500000,0,false,genai-prices,1200,0,0,400,0,0,0,0,0`,
      `b,2026-11-02T23:30:00.000Z,${Date.UTC(2026, 10, 2, 23, 30)},2026-11-02,openai,gpt-4o-2024-08-06,,gpt-4o,llm,chat,'=cmd(),,a;b,0.000420000,420000,500000,0,false,genai-prices,1200,0,0,400,0,0,0,0,0`,
      expect.stringMatching(/^c,.*,1\.234567891,1234567891,500000,0,true,/),
    ]);
    expect(rows[4]).toBe('');

    const ids = async (...flags: string[]) => {
      const run = await runTollgate(['export', '--format', 'jsonl', ...flags, ...store_]);
      expect(run.code).toBe(0);
      return run.stdout
        .trimEnd()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line).requestId);
    };
    expect(await ids()).toEqual(['a', 'b', 'c']);
    expect(await ids('--from', '2026-11-02')).toEqual(['b', 'c']);
    expect(await ids('--to', '2026-11-02')).toEqual(['a', 'b']);
    expect(await ids('--from', '2026-11-02', '--to', '2026-11-02')).toEqual(['b']);
    expect(await ids('--from', '2026-11-01T08:00:00Z', '--to', '2026-11-02T23:30:00Z')).toEqual(['a']);
    expect(await ids('--from', '2026-12-01')).toEqual([]);
    const [line] = (
      await runTollgate(['export', '--format', 'jsonl', '--to', '2026-11-01', ...store_])
    ).stdout.split('\n');
    expect(JSON.parse(line!)).toMatchObject({
      requestId: 'a',
      model: 'gpt-4o-2024-08-06',
      servedModel: 'gpt-4o-2024-11-20',
      catalogModel: 'gpt-4o',
      userId: null,
      projectId: 'x,"y"',
      tags: [],
      costUsd: 0.00042,
      costNano: 420_000,
    });
  });

  it('refuses a missing or unknown format and bad bounds, as bad arguments', async () => {
    const file = path.join(directory.path, 'small.db');
    const store_ = ['--store', `sqlite:${file}`];
    for (const args of [
      ['export', ...store_],
      ['export', '--format', 'xml', ...store_],
      ['export', '--format', 'csv', '--from', 'yesterday', ...store_],
      ['export', '--format', 'csv', '--from', '2026-02-30', ...store_],
      ['export', '--format', 'csv', '--from', '2026-11-03', '--to', '2026-11-01', ...store_],
    ]) {
      const run = await runTollgate(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^tollgate: /);
    }
  });

  it('streams a million records in constant memory', async () => {
    const file = path.join(directory.path, 'million.db');
    new SqliteStore({ path: file }).close();
    const database = new BetterSqlite3(file);
    database.exec(`
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${RECORDS - 1})
        INSERT INTO usage_records (
          request_id, timestamp, day, provider, model, served_model, catalog_model, service, request_type,
          user_id, project_id, tags, cost, reserved, overrun, estimated, price_source, input_tokens,
          cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, audio_milliseconds,
          characters, images, pages)
        SELECT printf('call-%07d', i), ${T0} + i * 2000, strftime('%Y-%m-%d', (${T0} + i * 2000) / 1000, 'unixepoch'),
          'openai', 'gpt-4o-2024-08-06', NULL, 'gpt-4o', 'llm', 'chat', 'u-' || (i % 100), NULL, '[]',
          1000 + i, 2000, 0, 0, 'genai-prices', 1200, 0, 0, 400, 0, 0, 0, 0, 0
        FROM n;
      `);
    database.close();

    const output = path.join(directory.path, 'million.csv');
    const run = await exportToFile(['export', '--format', 'csv', '--store', `sqlite:${file}`], output);
    expect(run.code, run.stderr).toBe(0);
    const { count, lines } = await linesOf(output, [0, 1, 500_001, RECORDS]);
    expect(count).toBe(RECORDS + 1);
    expect(lines.get(0)).toMatch(/^requestId,time,timestamp,/);
    expect(lines.get(1)).toMatch(/^call-0000000,2026-11-01T00:00:00\.000Z,.*,0\.000001000,1000,2000,/);
    expect(lines.get(500_001)).toMatch(
      new RegExp(`^call-0500000,.*,${T0 + 500_000 * 2000},.*,u-0,,,0\\.000501000,501000,`),
    );
    expect(lines.get(RECORDS)).toMatch(/^call-0999999,.*,u-99,,,0\.001000999,1000999,/);

    // The same command over the first hundred thousand records: memory must not grow with the records.
    const first = path.join(directory.path, 'first.csv');
    const fewer = await exportToFile(
      [
        'export',
        '--format',
        'csv',
        '--to',
        new Date(T0 + 100_000 * 2000).toISOString(),
        '--store',
        `sqlite:${file}`,
      ],
      first,
    );
    expect(fewer.code, fewer.stderr).toBe(0);
    expect((await linesOf(first, [])).count).toBe(100_001);
    const million = maxRssKilobytesOf(run.stderr);
    const hundredThousand = maxRssKilobytesOf(fewer.stderr);
    // Held at once, the 900,000 more records would take hundreds of MB; one page of them is under one.
    expect(
      million - hundredThousand,
      `peak RSS ${million} kB for a million records, ${hundredThousand} kB for a hundred thousand`,
    ).toBeLessThan(32 * 1024);
    expect(million).toBeLessThan(256 * 1024);
  }, 600_000);
});
