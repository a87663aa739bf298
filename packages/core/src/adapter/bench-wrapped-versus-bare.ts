import type { BudgetManager } from '../index';

const WORDS = [
  'budget',
  'ledger',
  'invoice',
  'forecast',
  'quarter',
  'revenue',
  'margin',
  'supplier',
  'contract',
  'audit',
];

/** About 1,000 tokens of prompt: a thousand common English words (each, with its space, one o200k token). */
export const BENCH_PROMPT = Array.from(
  { length: 1_000 },
  (_, index) => WORDS[(index * 7) % WORDS.length],
).join(' ');

/** One kind of call, made the same way on a bare and on a wrapped client. */
export interface BenchScenario<Client> {
  readonly name: string;
  /** Makes one call of this kind on the client given (bare or wrapped). */
  run(client: Client): Promise<unknown>;
  /** A wrapped client of its own for this scenario (other options); default: the bench's. */
  readonly wrapped?: Client;
}

/** What `benchWrappedVersusBare` compares: two clients of one SDK and the calls made on each. */
export interface BenchOptions<Client> {
  /** Printed above the table. */
  readonly title: string;
  readonly bare: Client;
  readonly wrapped: Client;
  readonly scenarios: readonly BenchScenario<Client>[];
  /** Calls per client and scenario; default `ITERATIONS` from the environment, else 1,000. */
  readonly iterations?: number;
  /** Calls per client before timing; default a tenth of the iterations. */
  readonly warmup?: number;
  /** The budget the wrapped clients charge: what it recorded and still holds is printed after the table. */
  readonly budget?: BudgetManager;
}

/** One scenario's line of the printed table: bare and wrapped latencies and what the wrapper adds. */
export interface BenchRow {
  readonly scenario: string;
  readonly 'bare p50 µs': number;
  readonly 'wrapped p50 µs': number;
  readonly 'p50 ratio': number;
  readonly 'added µs/call (p50)': number;
  readonly 'bare p99 µs': number;
  readonly 'wrapped p99 µs': number;
  /** The median CPU time of a call (this process: client, wrapper and in-process emulator alike). */
  readonly 'bare CPU µs': number;
  /** What the wrapper adds to a call's median CPU time: less disturbed by a busy machine than wall time. */
  readonly 'added CPU µs/call': number;
}

/**
 * Times a wrapped client against a bare one, interleaved in the same run (which client goes
 * first alternates, so neither always meets a warm connection), and prints p50 and p99
 * latencies, the p50 ratio and the microseconds a call gains from the wrapper, of wall time and of
 * CPU time.
 */
export async function benchWrappedVersusBare<Client>(options: BenchOptions<Client>): Promise<BenchRow[]> {
  const iterations = options.iterations ?? Number(process.env.ITERATIONS ?? 1_000);
  const warmup = options.warmup ?? Math.ceil(iterations / 10);
  console.log(
    `${options.title}: ${iterations} interleaved calls per client after ${warmup} warm-up calls, Node ${process.version}`,
  );
  const rows: BenchRow[] = [];
  for (const scenario of options.scenarios) {
    const wrapped = scenario.wrapped ?? options.wrapped;
    const bareTimes: number[] = [];
    const wrappedTimes: number[] = [];
    const bareCpu: number[] = [];
    const wrappedCpu: number[] = [];
    for (let index = 0; index < warmup + iterations; index++) {
      const bareFirst = index % 2 === 0;
      const first = await time(scenario, bareFirst ? options.bare : wrapped);
      const second = await time(scenario, bareFirst ? wrapped : options.bare);
      if (index < warmup) continue;
      const [bareCall, wrappedCall] = bareFirst ? [first, second] : [second, first];
      bareTimes.push(bareCall.wall);
      wrappedTimes.push(wrappedCall.wall);
      bareCpu.push(bareCall.cpu);
      wrappedCpu.push(wrappedCall.cpu);
    }
    for (const times of [bareTimes, wrappedTimes, bareCpu, wrappedCpu]) times.sort((a, b) => a - b);
    const bare = percentile(bareTimes, 0.5);
    const budgeted = percentile(wrappedTimes, 0.5);
    rows.push({
      scenario: scenario.name,
      'bare p50 µs': Math.round(bare),
      'wrapped p50 µs': Math.round(budgeted),
      'p50 ratio': Number((budgeted / bare).toFixed(3)),
      'added µs/call (p50)': Math.round(budgeted - bare),
      'bare p99 µs': Math.round(percentile(bareTimes, 0.99)),
      'wrapped p99 µs': Math.round(percentile(wrappedTimes, 0.99)),
      'bare CPU µs': Math.round(percentile(bareCpu, 0.5)),
      'added CPU µs/call': Math.round(percentile(wrappedCpu, 0.5) - percentile(bareCpu, 0.5)),
    });
  }
  console.table(rows);
  if (options.budget) {
    // Settlements still running behind their calls (`settle: 'background'`) are counted too.
    await options.budget.flushUsage();
    const [status] = await options.budget.status();
    if (status)
      console.log(
        `recorded ${status.usedUsd.toFixed(6)} USD, reserved ${status.reservedUsd} USD after the run`,
      );
  }
  return rows;
}

/** Reads a stream to its end, as a caller that wants every item does. */
export async function readToEnd(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _item of stream) {
    // Nothing to do with the items: the bench times the reading.
  }
}

/** Microseconds one call takes, of wall time and of this process's CPU time. */
async function time<Client>(
  scenario: BenchScenario<Client>,
  client: Client,
): Promise<{ wall: number; cpu: number }> {
  const cpuAtStart = process.cpuUsage();
  const start = performance.now();
  await scenario.run(client);
  const wall = (performance.now() - start) * 1_000;
  const cpu = process.cpuUsage(cpuAtStart);
  return { wall, cpu: cpu.user + cpu.system };
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}
