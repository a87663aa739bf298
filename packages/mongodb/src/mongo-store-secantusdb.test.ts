import { BudgetExceededError, createBudget, createUsage, usdToNano } from '@tollgate/core';
import { storeConformanceSuite } from '@tollgate/core/testing';
import { type CommandStartedEvent, MongoClient } from 'mongodb';
import { expect, it } from 'vitest';
import { MongoStore } from './mongo-store';
import { ownTestServer } from './testing/own-test-server';
import { usageRecord } from './testing/usage-record';

// SecantusDB presents itself as a one-member replica set with sessions, so here (unlike on the
// other two test servers) the driver retries writes and `w: 'majority'` waits for a majority.
// A missing install fails here with the install command.
const server = ownTestServer('secantusdb');
const NOW = Date.UTC(2026, 10, 29, 12);
const KEY = { budgetId: 'app', scope: 'global', period: 'month:2026-11' };

// The whole suite, with 150 of the concurrency property's 1,000 interleavings: each interleaving adds
// two counters, and SecantusDB's findAndModify takes time in proportion to the collection's size
// (about 8 ms per 1,000 documents, where an updateOne by the same _id stays near 2 ms), so the 1,000
// take over the property's 300 s. 150 take about 25 s; the README says what this leaves out.
storeConformanceSuite(it, async () => server.store('secantusdb_conformance'), { interleavings: 150 });

it('is a replica set to the driver: a reserve and a commit are retryable writes with w: majority', async () => {
  const monitored = new MongoClient(server.uri, { monitorCommands: true });
  const commands: CommandStartedEvent[] = [];
  monitored.on('commandStarted', (event) => commands.push(event));
  let topology = '';
  monitored.on('topologyDescriptionChanged', (event) => {
    topology = event.newDescription.type;
  });
  const store = new MongoStore({ client: monitored, dbName: 'secantusdb_replica_set' });
  try {
    await store.readCounters([], NOW);
    expect(topology).toBe('ReplicaSetWithPrimary');
    commands.length = 0;
    const reserved = await store.reserve({
      reservationId: 'r1',
      amount: 500,
      counters: [{ ...KEY, capacity: 10_000, periodEnd: NOW + 86_400_000 }],
      leaseMs: 60_000,
      now: NOW,
    });
    expect(reserved.ok).toBe(true);
    const committed = await store.commit({
      record: usageRecord({ requestId: 'q1', timestamp: NOW, cost: 300, reserved: 500 }),
      counters: [{ ...KEY, day: '2026-11-29' }],
      reservationId: 'r1',
      now: NOW,
    });
    expect(committed.counters.map(({ committed, reserved }) => [committed, reserved])).toEqual([[300, 0]]);
    const writes = commands.filter((event) =>
      ['insert', 'update', 'findAndModify'].includes(event.commandName),
    );
    expect(writes.length).toBeGreaterThan(3);
    for (const write of writes) {
      expect(write.command.writeConcern).toMatchObject({ w: 'majority' });
      // The driver numbers a retryable write within its session, so that the server runs it once.
      expect(write.command.txnNumber).toBeDefined();
      expect(write.command.lsid).toBeDefined();
    }
  } finally {
    await store.close();
    await monitored.db('secantusdb_replica_set').dropDatabase();
    await monitored.close();
  }
});

it('two instances admit calls from quota leases on a replica set, never past the limit, every lease given back', async () => {
  const dbName = 'secantusdb_leases';
  const limitUsd = 0.05;
  const instances = ['a', 'b'].map((instanceId) =>
    createBudget({
      store: new MongoStore({ client: server.client, dbName }),
      budgets: [{ id: 'shared', limitUsd, period: 'month' }],
      clock: () => NOW,
      leases: { instanceId, flushIntervalMs: 50 },
    }),
  );
  const refusals: BudgetExceededError[] = [];
  let admitted = 0;
  // 2 × 40 calls of about $0.001 each, all at once: more than the $0.05 can take.
  await Promise.all(
    instances.flatMap((budget) =>
      Array.from({ length: 40 }, async () => {
        try {
          const admission = await budget.gate({
            provider: 'openai',
            model: 'gpt-4o-mini',
            inputTokens: 1_000,
            maxOutputTokens: 1_000,
          });
          await admission.settle({ usage: createUsage({ inputTokens: 1_000, outputTokens: 900 }) });
          admitted += 1;
        } catch (error) {
          if (!BudgetExceededError.isInstance(error)) throw error;
          refusals.push(error);
        }
      }),
    ),
  );
  for (const budget of instances) await budget.close();
  expect(refusals.length).toBeGreaterThan(0);
  for (const refusal of refusals) expect(refusal.availableNano).toBeLessThan(refusal.neededNano);
  const db = server.client.db(dbName);
  const [counter] = await db.collection('tollgate_counters').find().toArray();
  const usages = await db.collection('tollgate_usages').find().toArray();
  const recorded = usages.reduce((sum, usage) => sum + Number(usage.cost), 0);
  expect(usages).toHaveLength(admitted);
  expect(Number(counter!.committed)).toBe(recorded);
  expect(recorded).toBeLessThanOrEqual(usdToNano(limitUsd));
  expect(Number(counter!.reserved)).toBe(0);
  expect(counter!.holds).toEqual([]);
  await db.dropDatabase();
});
