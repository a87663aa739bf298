export type ConformanceTest = (name: string, fn: () => Promise<void>, timeout?: number) => void;
export function storeConformanceSuite(_test: ConformanceTest, _makeStore: () => Promise<unknown>): void {}
