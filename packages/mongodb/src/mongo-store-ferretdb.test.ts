import { storeConformanceSuite } from '@tollgate/core/testing';
import { it } from 'vitest';
import { ownTestServer } from './testing/own-test-server';

// FerretDB v1 does not apply concurrent updates of one document atomically, so it runs the
// suite without the concurrency properties. A missing binary fails here with the build command.
const server = ownTestServer('ferretdb');

storeConformanceSuite(it, async () => server.store('ferretdb_conformance'), { concurrency: false });
