import { lineItemCost, nanoToUsd } from '@tollgate/core';
import { contextWindowOf } from '@tollgate/core/adapter';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sized } from '../profile';
import { runUntrustedUsageCase } from './run-untrusted-usage-case';
import { localPromptTokens, TARGETS, type Target, untrustedUsageCase } from './untrusted-usage-case';
import { startUntrustedUsageHarness, type UntrustedUsageHarness } from './untrusted-usage-harness';

const CASES_PER_ADAPTER = sized({ ci: 400, full: 5_000 });
const SEED = Number(process.env.RELIABILITY_SEED ?? 20_261_206);

const ADAPTERS: Record<string, readonly Target[]> = {
  openai: ['openai chat.completions.create', 'openai responses.create'],
  anthropic: ['anthropic messages.create'],
  mistral: ['mistral chat.complete / chat.stream'],
};

let harness: UntrustedUsageHarness;
beforeAll(async () => {
  harness = await startUntrustedUsageHarness();
});
afterAll(() => harness?.close());

interface Row {
  cases: number;
  sameAsProvider: number;
  callerErrors: number;
  estimated: number;
  rawKept: number;
  violations: number;
}

describe('provider responses whose usage cannot be trusted', () => {
  for (const [adapter, targets] of Object.entries(ADAPTERS)) {
    test(`${adapter}: ${CASES_PER_ADAPTER} generated cases: the caller gets what the provider sent, nothing stays reserved, the record is at least the prompt's local count`, async () => {
      const { budget, store } = harness;
      const cases = fc.sample(
        fc.oneof(
          ...targets.map((target) => {
            const { provider, model } = TARGETS[target];
            return untrustedUsageCase(target, contextWindowOf(budget.catalog.resolve(provider, model)));
          }),
        ),
        { seed: SEED, numRuns: CASES_PER_ADAPTER },
      );
      const violations: { index: number; scenario: unknown; problem: string }[] = [];
      const rows = new Map<string, Row>();
      const malformations = new Map<string, number>();
      let recorded = 0;
      let floors = 0;
      let heldBefore = 0;

      for (const [index, scenario] of cases.entries()) {
        const { provider, model } = TARGETS[scenario.target];
        const outcome = await runUntrustedUsageCase(harness, scenario);
        const fail = (problem: string) =>
          violations.push({
            index,
            scenario: { ...scenario, prompt: undefined, record: outcome.records[0] },
            problem,
          });
        const key = `${scenario.target} | ${scenario.stream ? 'stream' : 'JSON'} | ${scenario.fault}`;
        const row = rows.get(key) ?? {
          cases: 0,
          sameAsProvider: 0,
          callerErrors: 0,
          estimated: 0,
          rawKept: 0,
          violations: 0,
        };
        const before = violations.length;
        row.cases += 1;
        for (const kind of scenario.malformations)
          malformations.set(kind, (malformations.get(kind) ?? 0) + 1);
        if (outcome.wrapped.error) row.callerErrors += 1;
        if (outcome.sameAsProvider) row.sameAsProvider += 1;
        else
          fail(
            `the caller got ${JSON.stringify(outcome.wrapped).slice(0, 300)}, the provider sent ${JSON.stringify(outcome.unwrapped).slice(0, 300)}`,
          );

        const rate = budget.catalog.resolve(provider, model)?.price.rates.input;
        if (!rate) throw new Error(`no input price for ${provider}/${model}`);
        const floor = lineItemCost(localPromptTokens(scenario.prompt, provider, model), rate);
        floors += floor;
        if (outcome.records.length !== 1)
          fail(`${outcome.records.length} records (${outcome.commits} commits)`);
        const [record] = outcome.records;
        if (record) {
          recorded += record.cost;
          if (record.estimated) row.estimated += 1;
          if (record.cost <= 0) fail('recorded at $0');
          if (record.cost < floor)
            fail(
              `recorded ${record.cost} nano-USD (${record.inputTokens} input tokens) < the prompt's local count ${floor}`,
            );
          if (scenario.mustRebuild && !record.estimated)
            fail('a usage the rule does not trust was recorded as reported');
          if (typeof record.rawUsage === 'string') row.rawKept += 1;
          if (
            scenario.fault === 'json' &&
            (typeof record.rawUsage !== 'string' || record.rawUsage.length > 1_024)
          )
            fail('the untrusted block is not on the record');
        }
        const counters = await store.readCounters([...store.counterKeys.values()], Date.now());
        const held = counters.reduce((sum, counter) => sum + counter.reserved, 0);
        // Counted once, by the case that left it: every later case would see it too.
        if (held > heldBefore) fail(`a hold left reserved (${held - heldBefore} nano-USD)`);
        heldBefore = held;
        row.violations += violations.length - before;
        rows.set(key, row);
      }

      printFigures(adapter, rows, malformations, violations, { recorded, floors });
      expect(violations.slice(0, 5)).toEqual([]);
      expect(harness.settleErrors).toEqual([]);
      expect(harness.warnings.filter((warning) => warning.code !== 'TOLLGATE_UNTRUSTED_USAGE')).toEqual([]);
      expect(harness.warnings.map((warning) => warning.subject)).toContain(
        `${TARGETS[targets[0]!].provider}/${TARGETS[targets[0]!].model}`,
      );
      expect([...rows.values()].reduce((sum, row) => sum + row.cases, 0)).toBe(CASES_PER_ADAPTER);
    });
  }
});

function printFigures(
  adapter: string,
  rows: Map<string, Row>,
  malformations: Map<string, number>,
  violations: readonly { problem: string }[],
  totals: { recorded: number; floors: number },
) {
  const kinds = new Map<string, number>();
  for (const { problem } of violations) {
    const kind = problem.replace(/\d+/g, 'N').replace(/the caller got .*/, 'the caller got another response');
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const usd = (nano: number) => `$${nanoToUsd(nano).toFixed(6)}`;
  console.log(
    [
      `untrusted usage, ${adapter} (seed ${SEED}): ${[...rows.values()].reduce((sum, row) => sum + row.cases, 0)} cases, ${violations.length} violations`,
      ...[...kinds.entries()].map(([kind, count]) => `  ${count} × ${kind}`),
      `sums: recorded ${usd(totals.recorded)}, prompts' local counts ${usd(totals.floors)}`,
      'method | response | fault | cases | same as the provider sent | SDK error (both) | recorded as estimated | raw block on the record | violations',
      ...[...rows.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(
          ([key, row]) =>
            `${key} | ${row.cases} | ${row.sameAsProvider} | ${row.callerErrors} | ${row.estimated} | ${row.rawKept} | ${row.violations}`,
        ),
      `malformations: ${[...malformations.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([kind, count]) => `${kind} ${count}`)
        .join(', ')}`,
    ].join('\n'),
  );
}
