import { storeConformanceSuite } from '@tollgate/core/testing';
import { afterAll, describe, it } from 'vitest';
import { SqliteStore } from './sqlite-store';
import { temporaryDirectory } from './testing/temporary-directory';

describe('SqliteStore on a file', () => {
  const directory = temporaryDirectory();
  let files = 0;
  afterAll(() => directory.remove());
  storeConformanceSuite(it, async () => new SqliteStore({ path: directory.file(`store-${files++}.db`) }));
});

describe('SqliteStore in memory', () => {
  storeConformanceSuite(it, async () => new SqliteStore({ path: ':memory:' }));
});
