export {
  type ConformanceOptions,
  type ConformanceTest,
  storeConformanceSuite,
} from './testing/store-conformance-suite';
