import { nanoToUsd } from '@tollgate/core';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { sized } from '../profile';
import { inputCostOf } from './input-cost';
import { runStreamScenario } from './run-stream-scenario';
import { startStreamHarness, type StreamHarness } from './stream-harness';
import { STREAM_APIS, type StreamScenario, streamScenario } from './stream-scenario';

const STREAMS = sized({ ci: 60, full: 500 });
const SEED = 20_261_129;

let harness: StreamHarness;
beforeAll(async () => {
  harness = await startStreamHarness();
});
afterAll(() => harness?.close());

interface Violation {
  readonly index: number;
  readonly scenario: unknown;
  readonly problem: string;
}

test(`${STREAMS} randomly cut streams: input cost ≤ recorded cost ≤ reservation, never $0, one record each`, async () => {
  const scenarios = fc.sample(streamScenario, { seed: SEED, numRuns: STREAMS });
  const violations: Violation[] = [];
  const counts = new Map<
    string,
    { streams: number; estimated: number; callerErrors: number; readingHung: number }
  >();
  const totals = { inputCost: 0, recorded: 0, reserved: 0 };

  for (const [index, scenario] of scenarios.entries()) {
    const outcome = await runStreamScenario(harness, scenario);
    const fail = (problem: string) =>
      violations.push({ index, scenario: describeScenario(scenario), problem });
    const provider = STREAM_APIS[scenario.api];
    const key = `${provider} | ${scenario.api} | ${scenario.ending}`;
    const count = counts.get(key) ?? { streams: 0, estimated: 0, callerErrors: 0, readingHung: 0 };
    count.streams += 1;
    if (outcome.callerError !== undefined) count.callerErrors += 1;
    if (outcome.readingHung) count.readingHung += 1;
    counts.set(key, count);

    const { record, request } = outcome;
    if (!request) {
      fail('the emulator received no request');
      continue;
    }
    if (!record) {
      fail(`no usage record (commits ${outcome.commits}, releases ${outcome.releases})`);
      continue;
    }
    if (record.estimated) count.estimated += 1;
    totals.recorded += record.cost;
    totals.reserved += record.reserved;
    if (outcome.recordedCommits !== 1) fail(`${outcome.recordedCommits} records instead of 1`);
    const { billedInputTokens, inputCost } = inputCostOf(harness.budget, provider, record.model, request);
    totals.inputCost += inputCost;
    if (record.cost <= 0) fail('recorded at $0');
    if (record.cost < inputCost)
      fail(
        `recorded ${record.cost} nano-USD (${record.inputTokens} input tokens) < input cost ${inputCost} (${billedInputTokens} billed)`,
      );
    if (record.reserved <= 0) fail('no reservation on the record');
    if (record.cost > record.reserved)
      fail(
        `recorded ${record.cost} > reserved ${record.reserved} (${record.inputTokens} in, ${record.outputTokens} out, estimated ${record.estimated})`,
      );
    const stored = await harness.store.getRecord(record.requestId);
    if (stored !== record) fail('store.getRecord does not return the committed record');
  }

  const [status] = await harness.budget.status();
  printCounts(counts, violations.length, totals);
  expect(harness.settleErrors).toEqual([]);
  expect(violations).toEqual([]);
  // Nothing stays held once every stream is settled, and the counter is the sum of the records.
  expect(status!.reservedNano).toBe(0);
  expect(status!.usedNano).toBe(totals.recorded);
  // One commit per stream in the whole run: a second settlement of any stream, however late, shows here.
  expect(harness.store.commits.length).toBe(STREAMS);
  expect([...counts.values()].reduce((sum, count) => sum + count.streams, 0)).toBe(STREAMS);
});

function describeScenario(scenario: StreamScenario) {
  return {
    api: scenario.api,
    ending: scenario.ending,
    maxTokens: scenario.maxTokens,
    stopAfter: scenario.stopAfter,
    chunkDelayMs: scenario.chunkDelayMs,
    system: scenario.prompt.system?.kind,
    turns: scenario.prompt.turns.map((turn) => turn.kind),
  };
}

function printCounts(
  counts: Map<string, { streams: number; estimated: number; callerErrors: number; readingHung: number }>,
  violations: number,
  totals: { inputCost: number; recorded: number; reserved: number },
) {
  const lines = [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([key, count]) =>
        `${key} | ${count.streams} | ${count.estimated} | ${count.callerErrors} | ${count.readingHung}`,
    );
  console.log(
    [
      `aborted streams (seed ${SEED}): ${STREAMS} streams, ${violations} violations`,
      `sums: input cost ${usd(totals.inputCost)}, recorded ${usd(totals.recorded)}, reserved ${usd(totals.reserved)}`,
      'adapter | method | ending | streams | recorded as estimated | caller saw an error | read after abort never answered',
      ...lines,
    ].join('\n'),
  );
}

function usd(nano: number): string {
  return `$${nanoToUsd(nano).toFixed(6)}`;
}
