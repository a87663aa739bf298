// One measurement of bench/run.mjs, in its own process: gates per second on a store holding
// `count` records. Usage: node --expose-gc bench/gate-with-history.mjs <count> <measure ms>
import { performance } from 'node:perf_hooks';
import { budgetWithHistory } from './history.mjs';

const count = Number(process.argv[2]);
const measureMs = Number(process.argv[3] ?? 500);
const budget = await budgetWithHistory(count);
// The filling left garbage whose collection would land in the measurement.
globalThis.gc?.();

const request = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1000, maxOutputTokens: 500 };
async function gateAndRelease() {
  const admission = await budget.gate(request);
  await admission.release();
}

const warmUntil = performance.now() + Math.max(500, measureMs);
while (performance.now() < warmUntil) await gateAndRelease();
const rates = [];
for (let round = 0; round < 3; round++) {
  let iterations = 0;
  const start = performance.now();
  while (performance.now() - start < measureMs) {
    for (let index = 0; index < 256; index++) await gateAndRelease();
    iterations += 256;
  }
  rates.push((iterations / (performance.now() - start)) * 1000);
}
rates.sort((a, b) => a - b);
console.log(JSON.stringify({ count, opsPerSecond: rates[1] }));
