import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { PROFILE, sized } from '../profile';
import { FAIL_OPEN_ALLOWANCE_USD, runOutageScenario } from './outage-scenario';
import { SQLITE_BUSY_TIMEOUT_MS, sqliteUnderFault } from './store-under-fault';

interface Scenario {
  outageMs: number;
  failOpen: boolean;
}

const SCENARIOS: Scenario[] = sized({
  ci: [
    { outageMs: 3_000, failOpen: false },
    { outageMs: 3_000, failOpen: true },
  ],
  full: [5_000, 30_000].flatMap((outageMs) => [
    { outageMs, failOpen: false },
    { outageMs, failOpen: true },
  ]),
});

const figures: Record<string, unknown>[] = [];
const directories: string[] = [];

afterAll(() => {
  console.log(`SqliteStore outages (${PROFILE} profile):\n${JSON.stringify(figures, null, 2)}`);
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

describe('SqliteStore locked by another process in the middle of gated load', () => {
  for (const scenario of SCENARIOS) {
    const policy = scenario.failOpen ? `fail-open ($${FAIL_OPEN_ALLOWANCE_USD})` : 'fail-closed';
    const name = `write lock held for ${scenario.outageMs / 1000} s, ${policy}`;
    it(name, async () => {
      const directory = mkdtempSync(join(tmpdir(), 'tollgate-sqlite-outage-'));
      directories.push(directory);
      const store = sqliteUnderFault(directory);
      try {
        const figure = await runOutageScenario({
          outageMs: scenario.outageMs,
          failOpen: scenario.failOpen,
          store: store.openStoreThroughFault(),
          openReaderStore: () => store.openStore(),
          startOutage: () => store.takeDown(),
          endOutage: () => store.bringBack(),
          readLedger: () => store.readLedger(),
          spillPath: join(directory, 'usage-buffer.jsonl'),
          requestIdPrefix: `sqlite-${Date.now().toString(36)}`,
        });
        figures.push({ scenario: name, busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS, ...figure });
      } finally {
        await store.close();
      }
    });
  }
});
