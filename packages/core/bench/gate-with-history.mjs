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
// Per second of wall time, and of this process's CPU time (which other processes on a busy
// machine disturb less); the median of three rounds of each.
const rates = [];
const cpuRates = [];
for (let round = 0; round < 3; round++) {
  let iterations = 0;
  const start = performance.now();
  const cpuAtStart = process.cpuUsage();
  while (performance.now() - start < measureMs) {
    for (let index = 0; index < 256; index++) await gateAndRelease();
    iterations += 256;
  }
  const cpu = process.cpuUsage(cpuAtStart);
  rates.push((iterations / (performance.now() - start)) * 1000);
  cpuRates.push((iterations / (cpu.user + cpu.system)) * 1e6);
}
const median = (values) => values.sort((a, b) => a - b)[1];
console.log(JSON.stringify({ count, opsPerSecond: median(rates), opsPerCpuSecond: median(cpuRates) }));
