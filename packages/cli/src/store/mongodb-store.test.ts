import { randomUUID } from 'node:crypto';
import { MongoStore } from '@tollgate/mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type MongoTestServer,
  startMongoTestServer,
} from '../../../mongodb/test-server/start-test-server.mjs';
import { inDays, sumCost } from '../testing/expected-spend';
import { runTollgate } from '../testing/run-tollgate';
import { type SeededCall, seedHistory, TEST_BUDGETS } from '../testing/seed-history';
import { temporaryDirectory } from '../testing/temporary-directory';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

// MONGODB_URI set: that server (e.g. a real mongod); otherwise the MongoDB-wire test server
// that `bash .ci/install-test-services` builds, as in @tollgate/mongodb's own tests.
let server: MongoTestServer | undefined;
let storeUri: string;
let calls: SeededCall[];
let directory: ReturnType<typeof temporaryDirectory>;
let configPath: string;

/** The connection string with the database name as its path, keeping any query options. */
function withDatabase(uri: string, database: string): string {
  const [address = '', query] = uri.split('?');
  const schemeEnd = address.indexOf('://') + 3;
  const slash = address.indexOf('/', schemeEnd);
  const hosts = slash === -1 ? address : address.slice(0, slash);
  return `${hosts}/${database}${query === undefined ? '' : `?${query}`}`;
}

beforeAll(async () => {
  const baseUri = process.env.MONGODB_URI ?? (server = await startMongoTestServer()).uri;
  const dbName = `tollgate_cli_${randomUUID().slice(0, 8)}`;
  storeUri = withDatabase(baseUri, dbName);
  calls = await seedHistory(new MongoStore({ uri: baseUri, dbName }));
  directory = temporaryDirectory();
  configPath = path.join(directory.path, 'config.json');
  writeFileSync(configPath, JSON.stringify({ budgets: TEST_BUDGETS }));
});

afterAll(async () => {
  directory?.remove();
  await server?.stop();
});

describe('a mongodb:// store', () => {
  it('gives the same exact figures as the history recorded into it', async () => {
    const status = await runTollgate(['status', '--json', '--store', storeUri, '--config', configPath]);
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    const [app] = JSON.parse(status.stdout).statuses;
    expect(app).toMatchObject({
      budgetId: 'app',
      alertLevel: 'ORANGE',
      used: { nanoUsd: sumCost(calls, inDays('2026-11-01', '2026-11-29')) },
    });

    const report = await runTollgate([
      'report',
      '--json',
      '--by',
      'provider',
      '--store',
      storeUri,
      '--config',
      configPath,
    ]);
    expect(report.code).toBe(0);
    const parsed = JSON.parse(report.stdout);
    expect(parsed.total.cost.nanoUsd).toBe(sumCost(calls, inDays('2026-10-31', '2026-11-29')));
    expect(parsed.store).toBe(storeUri);
  });
});
