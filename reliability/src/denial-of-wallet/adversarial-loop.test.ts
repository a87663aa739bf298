import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BudgetStore } from '@tollgate/core';
import { type Emulator, startEmulator } from '@tollgate/emulator';
import { MongoStore } from '@tollgate/mongodb';
import { SqliteStore } from '@tollgate/sqlite';
import Database from 'better-sqlite3';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { sized } from '../profile';
import { StoreJournal } from '../hostile-input/store-journal';
import { runAdversarialLoop } from './adversarial-loop';
import { ATTACKS, type AttackResult, NEVER_SENT, type Outcome, oversizeRefusal } from './attacks';
import { AuditedStore } from './audited-store';
import { APP_LIMIT, USER_LIMIT, USERS, walletTarget } from './wallet-target';

declare module 'vitest' {
  export interface ProvidedContext {
    mongodbUri: string;
  }
}

const DURATION_MS = sized({ ci: 5_000, full: 60_000 });
const CALLERS = 24;
const SEED = 4_242;

const directory = mkdtempSync(join(tmpdir(), 'tollgate-wallet-'));
const mongodbUri = inject('mongodbUri');
const mongodbDatabase = `wallet_${process.pid}_${Date.now().toString(36)}`;
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
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

interface StoreUnderAttack {
  readonly name: string;
  open(): BudgetStore;
  /** Sum and count of every usage record, and the records of the repeated request ids, read from the database itself. */
  ledger(): Promise<{ total: number; records: number; repeatedIdRecords: number }>;
}

const STORES: StoreUnderAttack[] = [
  {
    name: 'SqliteStore',
    open: () => new SqliteStore({ path: join(directory, 'wallet.db') }),
    async ledger() {
      const database = new Database(join(directory, 'wallet.db'), { readonly: true });
      try {
        const all = database
          .prepare('SELECT COALESCE(SUM(cost), 0) AS total, COUNT(*) AS records FROM usage_records')
          .get() as {
          total: number;
          records: number;
        };
        const repeated = database
          .prepare("SELECT COUNT(*) AS records FROM usage_records WHERE request_id LIKE 'repeated-%'")
          .get() as { records: number };
        return { ...all, repeatedIdRecords: repeated.records };
      } finally {
        database.close();
      }
    },
  },
  {
    name: 'MongoStore',
    open: () => new MongoStore({ uri: mongodbUri, dbName: mongodbDatabase }),
    async ledger() {
      const client = new MongoClient(mongodbUri);
      try {
        const usages = client
          .db(mongodbDatabase)
          .collection<{ _id: string; cost: number }>('tollgate_usages');
        const all = await usages.find({}, { projection: { cost: 1 } }).toArray();
        return {
          total: all.reduce((sum, usage) => sum + Number(usage.cost), 0),
          records: all.length,
          repeatedIdRecords: all.filter((usage) => String(usage._id).startsWith('repeated-')).length,
        };
      } finally {
        await client.close();
      }
    },
  },
];

test('a 100 MiB prompt, 60 M characters over three messages and absurd output limits are refused at once, never sent', async () => {
  emulator.reset();
  const journal = new StoreJournal(STORES[0]!.open());
  const target = walletTarget(journal, emulator);
  const refusals = await oversizeRefusal(target);
  await target.budget.close();
  console.log(
    [
      'oversize and absurd inputs, one at a time (no other load):',
      'adapter | input | error | field | ms',
      ...refusals.map(
        (refusal) =>
          `${refusal.provider} | ${refusal.input} | ${refusal.error} | ${refusal.field} | ${refusal.milliseconds.toFixed(2)}`,
      ),
    ].join('\n'),
  );
  expect(refusals).toHaveLength(12);
  for (const refusal of refusals) {
    const expected = refusal.input.startsWith('max tokens')
      ? { error: 'ValidationError', field: 'maxOutputTokens' }
      : { error: 'ValidationError', field: 'text.length' };
    expect(refusal, `${refusal.provider} ${refusal.input}`).toMatchObject(expected);
  }
  // Refused on the input alone: by the length check (the field above), before the gate asked the
  // store for anything, and never sent. The milliseconds are a figure, not a check.
  expect(journal.writeCount).toBe(0);
  expect(emulator.requests).toHaveLength(0);
});

describe.each(STORES)('denial of wallet through $name', (storeUnderAttack) => {
  test(`${CALLERS} callers attack at full speed for ${DURATION_MS / 1000} s: spend never above the budget, oversize and absurd inputs refused, never sent`, async () => {
    emulator.reset();
    const audited = new AuditedStore(storeUnderAttack.open(), { app: APP_LIMIT, 'per-user': USER_LIMIT });
    const target = walletTarget(audited, emulator);
    const { results, spend, elapsedMs } = await runAdversarialLoop(target, {
      durationMs: DURATION_MS,
      callers: CALLERS,
      seed: SEED,
      maxAttacksPerCaller: 200_000,
    });
    const statuses = await Promise.all(USERS.map((userId) => target.budget.status({ userId })));
    const app = statuses[0]!.find((status) => status.budgetId === 'app')!;
    const users = statuses.map((status) => status.find((one) => one.budgetId === 'per-user')!);
    const ledger = await storeUnderAttack.ledger();
    await target.budget.close();
    printFigures(storeUnderAttack.name, results, spend, audited, elapsedMs, app.usedNano, ledger.records);

    // Nothing unexpected: every attack was either served or refused with a typed error.
    expect(
      results.filter((result) => result.outcome === 'other-error').map((result) => result.message),
    ).toEqual([]);
    expect(results.some((result) => result.outcome === 'admitted')).toBe(true);
    expect(results.filter((result) => result.outcome === 'refused').length).toBeGreaterThan(0);

    // Committed spend within the budget at every counter state the store returned, at every
    // sample and at the end; nothing left held, nothing counted twice.
    const admitted = results.filter((result) => result.outcome === 'admitted').length;
    expect(audited.states).toBeGreaterThanOrEqual(2 * admitted);
    expect(audited.unreserved).toEqual([]);
    expect(audited.overCommitted).toEqual([]);
    // No state promised more than the limit either (no call here costs more than it reserved).
    expect(audited.overHeld).toEqual({ reserve: [], commit: [], read: [] });
    expect(spend.samples).toBeGreaterThan(0);
    expect(spend.overLimit).toEqual([]);
    expect(app.usedNano).toBeLessThanOrEqual(APP_LIMIT);
    expect(app.reservedNano).toBe(0);
    for (const user of users) {
      expect(user.usedNano).toBeLessThanOrEqual(USER_LIMIT);
      expect(user.reservedNano).toBe(0);
    }
    expect(ledger.total).toBe(app.usedNano);
    expect(ledger.repeatedIdRecords).toBeLessThanOrEqual(8);

    // Oversize and absurd inputs: typed refusals, never sent, even under load.
    for (const result of results.filter((one) => NEVER_SENT.has(one.kind)))
      expect(['invalid', 'refused'], result.kind).toContain(result.outcome);
    const oversize = results.filter(
      (result) => result.kind === 'oversize-prompt' || result.kind === 'oversize-across-messages',
    );
    expect(oversize.length).toBeGreaterThan(0);
    for (const result of oversize) expect(result).toMatchObject({ outcome: 'invalid', field: 'text.length' });
    const sentAttacks = new Set(emulator.requests.map((request) => request.headers['x-attack']));
    for (const kind of NEVER_SENT) expect(sentAttacks.has(kind), kind).toBe(false);
  });
});

function printFigures(
  store: string,
  results: AttackResult[],
  spend: Awaited<ReturnType<typeof runAdversarialLoop>>['spend'],
  audited: AuditedStore,
  elapsedMs: number,
  committed: number,
  records: number,
) {
  const outcomes: Outcome[] = ['admitted', 'refused', 'invalid', 'storage-unavailable', 'other-error'];
  const rows = ATTACKS.map((kind) => {
    const ofKind = results.filter((result) => result.kind === kind);
    const counts = outcomes.map((outcome) => ofKind.filter((result) => result.outcome === outcome).length);
    const slowest = Math.max(0, ...ofKind.map((result) => result.milliseconds));
    return `${kind} | ${ofKind.length} | ${counts.join(' | ')} | ${slowest.toFixed(1)}`;
  });
  const total = outcomes.map((outcome) => results.filter((result) => result.outcome === outcome).length);
  console.log(
    [
      `denial of wallet, ${store}: ${results.length} calls attempted in ${(elapsedMs / 1000).toFixed(1)} s by ${CALLERS} callers (seed ${SEED})`,
      `admitted ${total[0]}, refused (budget) ${total[1]}, refused (validation) ${total[2]}, storage unavailable ${total[3]}, other errors ${total[4]}`,
      `committed $${(committed / 1e9).toFixed(6)} of $${(APP_LIMIT / 1e9).toFixed(2)} in ${records} records; per-user limit $${(USER_LIMIT / 1e9).toFixed(2)}`,
      `${audited.states} counter states returned by the store: max committed ${[...audited.maxCommitted].map(([id, nano]) => `${id} $${(nano / 1e9).toFixed(6)}`).join(', ')}; max committed + reserved ${[...audited.maxHeld].map(([id, nano]) => `${id} $${(nano / 1e9).toFixed(6)}`).join(', ')}; committed above a limit: ${audited.overCommitted.length}; committed + reserved above a limit, returned by reserve ${audited.overHeld.reserve.length}, by read ${audited.overHeld.read.length}, by commit ${audited.overHeld.commit.length}${audited.overHeld.commit.length > 0 ? ` (e.g. ${audited.overHeld.commit[0]})` : ''}`,
      `${spend.samples} status samples: max app committed $${(spend.maxAppCommitted / 1e9).toFixed(6)}, max app committed + reserved $${(spend.maxAppHeld / 1e9).toFixed(6)}, max user committed $${(spend.maxUserCommitted / 1e9).toFixed(6)}, max user committed + reserved $${(spend.maxUserHeld / 1e9).toFixed(6)}, over a limit: ${spend.overLimit.length}`,
      'attack | attempted | admitted | refused (budget) | refused (validation) | storage unavailable | other | slowest ms',
      ...rows,
    ].join('\n'),
  );
}
