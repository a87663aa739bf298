import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@tollgate/emulator';
import { BSON, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import {
  type ErrorPathRun,
  type ErrorPathsResult,
  occurrences,
  runErrorPaths,
  SERIALIZATIONS,
} from './run-error-paths';

declare module 'vitest' {
  export interface ProvidedContext {
    mongodbUri: string;
  }
}

const API_KEY = `sk-canary-${randomBytes(16).toString('hex')}`;
const PROMPT = `canary-prompt-${randomBytes(16).toString('hex')}`;
const CANARIES = { 'API key': API_KEY, prompt: PROMPT } as const;
const TOLLGATE_ERRORS: Record<string, string> = {
  'budget-refused': 'BudgetExceededError',
  'validation-context': 'ValidationError',
  'validation-oversize-prompt': 'ValidationError',
  'storage-unavailable': 'StorageUnavailableError',
};

const directory = mkdtempSync(join(tmpdir(), 'tollgate-canary-'));
const mongodbUri = inject('mongodbUri');
const mongodbDatabase = `canary_${process.pid}_${Date.now().toString(36)}`;
let emulator: Emulator;
let bare: ErrorPathsResult;
let wrapped: ErrorPathsResult;

beforeAll(async () => {
  emulator = await startEmulator();
  const common = {
    apiKey: API_KEY,
    prompt: PROMPT,
    emulatorUrl: emulator.url,
    mongodbUri,
    mongodbDatabase,
    sqlitePath: join(directory, 'sqlite', 'usage.db'),
  };
  bare = await runErrorPaths({ ...common, mode: 'bare', resultsPath: join(directory, 'bare.json') });
  wrapped = await runErrorPaths({ ...common, mode: 'wrapped', resultsPath: join(directory, 'wrapped.json') });
});

afterAll(async () => {
  await emulator?.close();
  const client = new MongoClient(mongodbUri);
  try {
    await client.db(mongodbDatabase).dropDatabase();
  } finally {
    await client.close();
  }
  rmSync(directory, { recursive: true, force: true });
});

function bareRunOf(run: ErrorPathRun): ErrorPathRun | undefined {
  return bare.runs.find((other) => other.adapter === run.adapter && other.scenario === run.scenario);
}

function count(text: string | Buffer): { 'API key': number; prompt: number } {
  return { 'API key': occurrences(text, API_KEY), prompt: occurrences(text, PROMPT) };
}

describe('a canary API key and a canary prompt through every error path, SDK debug logging on', () => {
  test('both child processes ran every path to the end, and the canaries did reach the SDKs', () => {
    expect(bare.exitCode).toBe(0);
    expect(wrapped.exitCode).toBe(0);
    // 3 adapters × 8 paths bare; 3 stores × 3 adapters × 12 paths wrapped.
    expect(bare.runs).toHaveLength(24);
    expect(wrapped.runs).toHaveLength(108);
    // The capture works: the SDKs' own debug logs print the request bodies, prompt included.
    expect(count(bare.runs.map((run) => run.logs).join('')).prompt).toBeGreaterThan(0);
    expect(emulator.requests.some((request) => JSON.stringify(request.body).includes(PROMPT))).toBe(true);
    printSummary();
  });

  test('every error tollgate throws (refusal, validation, storage down) holds neither canary, however serialized', () => {
    const tollgateRuns = wrapped.runs.filter((run) => run.scenario in TOLLGATE_ERRORS);
    expect(tollgateRuns).toHaveLength(36);
    for (const run of tollgateRuns) {
      expect(run.error?.name, `${run.adapter} ${run.scenario} ${run.store}`).toBe(
        TOLLGATE_ERRORS[run.scenario],
      );
      for (const serialization of SERIALIZATIONS)
        expect(count(run.error![serialization]), `${run.adapter} ${run.scenario} ${serialization}`).toEqual({
          'API key': 0,
          prompt: 0,
        });
    }
  });

  test('errors passed through from the SDKs are the SDKs’ own: no canary that the bare SDK error lacks', () => {
    const passedThrough = wrapped.runs.filter(
      (run) => !(run.scenario in TOLLGATE_ERRORS) && run.error !== null,
    );
    // Provider 400/401/429/500, a refused connection and a dropped stream, per adapter and store.
    expect(passedThrough).toHaveLength(3 * 3 * 6);
    for (const run of passedThrough) {
      const baseline = bareRunOf(run);
      expect(baseline?.error?.name, `${run.adapter} ${run.scenario}`).toBe(run.error!.name);
      for (const serialization of SERIALIZATIONS) {
        const label = `${run.adapter} ${run.scenario} ${run.store} ${serialization}`;
        const seen = count(run.error![serialization]);
        const seenBare = count(baseline!.error![serialization]);
        expect(seen['API key'], label).toBeLessThanOrEqual(seenBare['API key']);
        expect(seen.prompt, label).toBeLessThanOrEqual(seenBare.prompt);
      }
    }
  });

  test('with debug logging on, tollgate adds no canary to what the process prints', () => {
    for (const run of wrapped.runs) {
      const label = `${run.adapter} ${run.scenario} ${run.store}`;
      const seen = count(run.logs);
      const baseline = bareRunOf(run);
      // No request is sent on these paths, so nothing at all may show up.
      const allowed = baseline ? count(baseline.logs) : { 'API key': 0, prompt: 0 };
      expect(seen['API key'], label).toBeLessThanOrEqual(allowed['API key']);
      expect(seen.prompt, label).toBeLessThanOrEqual(allowed.prompt);
    }
    expect(count(wrapped.otherOutput)).toEqual({ 'API key': 0, prompt: 0 });
  });

  test('no stored document holds either canary: MemoryStore internals, the SQLite files, every MongoDB collection', async () => {
    expect(wrapped.memoryStores.length).toBeGreaterThan(0);
    expect(wrapped.memoryStores.some((dump) => dump.includes('requestId'))).toBe(true);
    for (const dump of wrapped.memoryStores) expect(count(dump)).toEqual({ 'API key': 0, prompt: 0 });

    const sqliteDirectory = join(directory, 'sqlite');
    const files = readdirSync(sqliteDirectory);
    expect(files).toContain('usage.db');
    let sqliteBytes = 0;
    for (const file of files) {
      const bytes = readFileSync(join(sqliteDirectory, file));
      sqliteBytes += bytes.length;
      expect(count(bytes), file).toEqual({ 'API key': 0, prompt: 0 });
    }
    expect(sqliteBytes).toBeGreaterThan(0);

    const client = new MongoClient(mongodbUri);
    try {
      const database = client.db(mongodbDatabase);
      const collections = await database.listCollections().toArray();
      let documents = 0;
      for (const { name } of collections) {
        const all = await database.collection(name).find({}).toArray();
        documents += all.length;
        expect(count(BSON.EJSON.stringify(all)), name).toEqual({ 'API key': 0, prompt: 0 });
      }
      expect(collections.map(({ name }) => name)).toContain('tollgate_usages');
      expect(documents).toBeGreaterThan(0);
      printStored(collections.length, documents, sqliteBytes);
    } finally {
      await client.close();
    }
  });
});

function printSummary() {
  const rows = new Map<string, string>();
  for (const run of wrapped.runs) {
    const key = `${run.adapter} | ${run.scenario}`;
    if (rows.has(key)) continue;
    const baseline = bareRunOf(run);
    const logs = wrapped.runs
      .filter((other) => other.adapter === run.adapter && other.scenario === run.scenario)
      .map((other) => count(other.logs));
    const maxOf = (name: keyof typeof CANARIES) => Math.max(...logs.map((seen) => seen[name]));
    const bareLogs = baseline ? count(baseline.logs) : undefined;
    const bareError = baseline?.error
      ? count(SERIALIZATIONS.map((s) => baseline.error![s]).join('\n'))
      : undefined;
    rows.set(
      key,
      [
        key,
        run.error?.name ?? 'none',
        bareLogs ? `${bareLogs['API key']} / ${bareLogs.prompt}` : 'n/a',
        `${maxOf('API key')} / ${maxOf('prompt')}`,
        bareError ? `${bareError['API key']} / ${bareError.prompt}` : 'n/a',
      ].join(' | '),
    );
  }
  console.log(
    [
      'canary occurrences (API key / prompt), per adapter and path:',
      'adapter | path | error the caller sees | bare SDK logs | wrapped logs (max over stores) | bare SDK error, all serializations',
      ...rows.values(),
    ].join('\n'),
  );
}

function printStored(collections: number, documents: number, sqliteBytes: number) {
  console.log(
    `stored documents searched: ${wrapped.memoryStores.length} MemoryStore dumps, ${sqliteBytes} bytes of SQLite files, ${documents} MongoDB documents in ${collections} collections: 0 canaries`,
  );
}
