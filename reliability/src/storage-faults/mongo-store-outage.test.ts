import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoStore } from '@tollgate/mongodb';
import { afterAll, describe, it } from 'vitest';
import { PROFILE, sized } from '../profile';
import { FAIL_OPEN_ALLOWANCE_USD, runOutageScenario } from './outage-scenario';
import { MONGO_CLIENT_OPTIONS } from './store-under-fault';
import { readMongoLedger } from './stored-ledger';
import { startTcpFaultProxy } from './tcp-fault-proxy';
import { mongodbAddress, mongodbUri, uniqueDatabaseName } from './test-mongodb';

interface Scenario {
  mode: 'blackhole' | 'reset';
  outageMs: number;
  failOpen: boolean;
}

const SCENARIOS: Scenario[] = sized({
  ci: [
    { mode: 'blackhole', outageMs: 3_000, failOpen: false },
    { mode: 'reset', outageMs: 3_000, failOpen: true },
  ],
  full: [5_000, 30_000].flatMap((outageMs) =>
    (['blackhole', 'reset'] as const).flatMap((mode) => [
      { mode, outageMs, failOpen: false },
      { mode, outageMs, failOpen: true },
    ]),
  ),
});

const figures: Record<string, unknown>[] = [];
const directories: string[] = [];

afterAll(() => {
  console.log(`MongoStore outages (${PROFILE} profile):\n${JSON.stringify(figures, null, 2)}`);
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

describe('MongoStore down in the middle of gated load, through a TCP fault proxy', () => {
  for (const scenario of SCENARIOS) {
    const policy = scenario.failOpen ? `fail-open ($${FAIL_OPEN_ALLOWANCE_USD})` : 'fail-closed';
    const name = `${scenario.mode} for ${scenario.outageMs / 1000} s, ${policy}`;
    it(name, async () => {
      const server = mongodbAddress();
      const proxy = await startTcpFaultProxy({ targetHost: server.host, targetPort: server.port });
      const directory = mkdtempSync(join(tmpdir(), 'tollgate-mongo-outage-'));
      directories.push(directory);
      const dbName = uniqueDatabaseName('outage');
      const proxied = new URL(mongodbUri());
      proxied.host = `127.0.0.1:${proxy.port}`;
      proxied.searchParams.set('directConnection', 'true');
      try {
        const figure = await runOutageScenario({
          outageMs: scenario.outageMs,
          failOpen: scenario.failOpen,
          store: new MongoStore({ uri: proxied.href, dbName, clientOptions: MONGO_CLIENT_OPTIONS }),
          openReaderStore: () => new MongoStore({ uri: mongodbUri(), dbName }),
          startOutage: () => proxy.setMode(scenario.mode),
          endOutage: () => proxy.setMode('pass'),
          readLedger: () => readMongoLedger(mongodbUri(), dbName),
          spillPath: join(directory, 'usage-buffer.jsonl'),
          requestIdPrefix: dbName,
        });
        figures.push({ scenario: name, ...figure });
      } finally {
        await proxy.close();
      }
    });
  }
});
