export {
  type ConformanceOptions,
  type ConformanceTest,
  storeConformanceSuite,
} from './testing/store-conformance-suite';
export { seededRandom } from './money/seeded-random';
export { wavFile } from './testing/wav-file';
