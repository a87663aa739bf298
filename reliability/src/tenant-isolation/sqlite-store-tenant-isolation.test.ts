import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '@tollgate/sqlite';
import { afterAll, expect, it } from 'vitest';
import { PROFILE, sized } from '../profile';
import { checkTenantIsolation } from './tenant-isolation';

const directory = mkdtempSync(join(tmpdir(), 'tollgate-tenants-'));

afterAll(() => rmSync(directory, { recursive: true, force: true }));

it('keeps tenants apart on a SqliteStore (one database file per sequence)', async () => {
  const runs = sized({ ci: 40, full: 300 });
  const result = await checkTenantIsolation(
    (sequence) => new SqliteStore({ path: join(directory, `sequence-${sequence}.db`) }),
    { runs, maxCommands: sized({ ci: 40, full: 100 }), stores: 'shared' },
  );
  console.info(
    `[tenant-isolation/sqlite] profile ${PROFILE}: ${result.sequences} sequences, ${result.operations} operations (${result.refusals} refused gates), 0 differences`,
  );
  expect(result.sequences).toBeGreaterThanOrEqual(runs);
  expect(result.refusals).toBeGreaterThan(0);
});
