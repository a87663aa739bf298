import { it } from 'vitest';
import { storeConformanceSuite } from '../testing/store-conformance-suite';
import { MemoryStore } from './memory-store';

storeConformanceSuite(it, async () => new MemoryStore());
