import { MemoryStore } from '@tollgate/core';
import { expect, it } from 'vitest';
import { PROFILE, sized } from '../profile';
import { checkTenantIsolation } from './tenant-isolation';

it('keeps tenants apart on a MemoryStore', async () => {
  const runs = sized({ ci: 60, full: 500 });
  const result = await checkTenantIsolation(() => new MemoryStore(), {
    runs,
    maxCommands: sized({ ci: 40, full: 100 }),
    stores: 'shared',
  });
  console.info(
    `[tenant-isolation/memory] profile ${PROFILE}: ${result.sequences} sequences, ${result.operations} operations (${result.refusals} refused gates), 0 differences`,
  );
  expect(result.sequences).toBeGreaterThanOrEqual(runs);
  expect(result.refusals).toBeGreaterThan(0);
});
