export { storeConformanceSuite, type ConformanceTest } from './testing/store-conformance-suite';
