// Writes contract-1-documents.json: the documents @tollgate/mongodb wrote under store contract v1,
// for the test that reads them with later versions. It was run once with the packages of that
// version (built from the commit before store contract v2), from packages/mongodb:
//   node src/__fixtures__/write-contract-1-documents.mjs src/__fixtures__/contract-1-documents.json
import { writeFileSync } from 'node:fs';
import { createBudget } from '@tollgate/core';
import { BSON, MongoClient } from 'mongodb';

const { EJSON } = BSON;
import { MongoStore } from '../../dist/index.js';
import { startMongoTestServer } from '../../test-server/start-test-server.mjs';

const server = await startMongoTestServer({ kind: 'java' });
const client = new MongoClient(server.uri);
let now = Date.UTC(2026, 10, 28, 9, 0, 0);
const budget = createBudget({
  store: new MongoStore({ client, dbName: 'contract1' }),
  budgets: [
    { id: 'app', limitUsd: 30, period: 'month', timeZone: 'Europe/Paris' },
    { id: 'per-user', limitUsd: 2, period: 'day', scope: 'user' },
  ],
  clock: () => now,
});
const calls = [
  ['openai', 'gpt-4o-2024-08-06', 'u-1', 0],
  ['anthropic', 'claude-3-5-haiku-20241022', 'u-2', 60_000],
  ['openai', 'gpt-4o-mini', undefined, 3_600_000],
  ['openai', 'gpt-4o-2024-08-06', 'u-1', 86_400_000],
  ['anthropic', 'claude-3-5-haiku-20241022', 'u-1', 86_460_000],
];
for (const [index, [provider, model, userId, offset]] of calls.entries()) {
  now = Date.UTC(2026, 10, 28, 9, 0, 0) + offset;
  await budget.recordUsage({
    provider,
    model,
    requestId: `v1-call-${index}`,
    usage: { inputTokens: 10_000 * (index + 1), outputTokens: 1_000 },
    context: { requestType: index % 2 === 0 ? 'chat' : 'summarize', ...(userId ? { userId } : {}) },
  });
}
const documents = {};
for (const name of ['counters', 'usages', 'daily_spend', 'rollups']) {
  documents[name] = await client
    .db('contract1')
    .collection(`tollgate_${name}`)
    .find({})
    .sort({ _id: 1 })
    .toArray();
}
writeFileSync(process.argv[2], `${EJSON.stringify(documents, undefined, 2, { relaxed: false })}\n`);
await client.close();
await server.stop();
