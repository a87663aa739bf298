import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BudgetManager, createBudget } from '../budget/budget-manager';
import { ValidationError } from '../errors/validation-error';
import { nanoToUsd } from '../money/money';
import { ROLLUP_MEASURES, type RollupDimension } from '../store/store-contract';
import { PUBLISHED_LLM_PRICES, tokenCost } from './__fixtures__/published-prices';
import type { Breakdown } from './breakdown';

const NOW = Date.parse('2026-11-20T12:00:00Z');

interface Call {
  at: string;
  model: string;
  requestType: string;
  userId?: string;
  input: number;
  cacheRead?: number;
  cacheWrite?: number;
  output: number;
  estimated?: boolean;
}

/** A week of an app's calls across four providers, three request types and three users. */
const CALLS: readonly Call[] = [
  {
    at: '2026-10-15T12:00:00Z',
    model: 'openai/gpt-4o',
    requestType: 'chat',
    userId: 'u-1',
    input: 100_000,
    output: 10_000,
  },
  {
    at: '2026-11-05T12:00:00Z',
    model: 'anthropic/claude-sonnet-4-5',
    requestType: 'summarize',
    userId: 'u-3',
    input: 20_000,
    output: 2_000,
  },
  {
    at: '2026-11-18T09:00:00Z',
    model: 'openai/gpt-4o',
    requestType: 'chat',
    userId: 'u-1',
    input: 1_200,
    output: 300,
  },
  {
    at: '2026-11-18T10:00:00Z',
    model: 'openai/gpt-4o-mini',
    requestType: 'classify',
    userId: 'u-2',
    input: 800,
    output: 20,
  },
  {
    at: '2026-11-18T15:00:00Z',
    model: 'anthropic/claude-sonnet-4-5',
    requestType: 'summarize',
    userId: 'u-1',
    input: 4_000,
    cacheRead: 2_000,
    cacheWrite: 1_000,
    output: 600,
  },
  {
    at: '2026-11-19T08:00:00Z',
    model: 'openai/gpt-4o',
    requestType: 'summarize',
    input: 9_000,
    cacheRead: 3_000,
    output: 700,
  },
  {
    at: '2026-11-19T11:00:00Z',
    model: 'mistral/mistral-large-latest',
    requestType: 'chat',
    userId: 'u-2',
    input: 1_500,
    output: 400,
  },
  {
    at: '2026-11-19T23:30:00Z',
    model: 'anthropic/claude-sonnet-4-5',
    requestType: 'chat',
    userId: 'u-2',
    input: 2_500,
    output: 350,
  },
  {
    at: '2026-11-20T03:00:00Z',
    model: 'openai/gpt-4o-mini',
    requestType: 'chat',
    userId: 'u-1',
    input: 600,
    output: 150,
  },
  {
    at: '2026-11-20T09:00:00Z',
    model: 'qwen/qwen-plus',
    requestType: 'classify',
    userId: 'u-3',
    input: 300,
    output: 10,
  },
  {
    at: '2026-11-20T10:00:00Z',
    model: 'openai/gpt-4o',
    requestType: 'chat',
    userId: 'u-1',
    input: 2_200,
    output: 500,
    estimated: true,
  },
];

async function record(
  calls: readonly Call[],
  options: { reportTimeZone?: string } = {},
): Promise<BudgetManager> {
  const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 1_000 }], clock: () => NOW, ...options });
  for (const call of calls) {
    const [provider, model] = call.model.split('/') as [string, string];
    await budget.recordUsage({
      provider,
      model,
      usage: {
        inputTokens: call.input,
        cacheReadTokens: call.cacheRead ?? 0,
        cacheWriteTokens: call.cacheWrite ?? 0,
        outputTokens: call.output,
      },
      context: { requestType: call.requestType, ...(call.userId ? { userId: call.userId } : {}) },
      timestamp: Date.parse(call.at),
      ...(call.estimated ? { estimated: true } : {}),
    });
  }
  return budget;
}

/** A call's value for a dimension, as the report should show it. */
function dimensionValue(call: Call, dimension: RollupDimension, timeZone = 'UTC'): string {
  const [provider, model] = call.model.split('/') as [string, string];
  switch (dimension) {
    case 'day':
      return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(call.at));
    case 'provider':
      return provider;
    case 'model':
      return model;
    case 'catalogModel':
      return model;
    case 'service':
      return 'llm';
    case 'requestType':
      return call.requestType;
    case 'userId':
      return call.userId ?? '';
    case 'projectId':
      return '';
  }
}

const costOf = (call: Call) =>
  tokenCost(call.model, {
    input: call.input,
    cacheRead: call.cacheRead,
    cacheWrite: call.cacheWrite,
    output: call.output,
  });

interface ExpectedGroup {
  key: Partial<Record<RollupDimension, string>>;
  cost: number;
  requests: number;
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  estimatedRequests: number;
}

/** The groups a breakdown should report, summed call by call from the published prices. */
function expectedGroups(
  calls: readonly Call[],
  by: readonly RollupDimension[],
  range: { fromDay: string; toDay: string },
  where: Partial<Record<RollupDimension, string>> = {},
  timeZone = 'UTC',
): Map<string, ExpectedGroup> {
  const groups = new Map<string, ExpectedGroup>();
  for (const call of calls) {
    const day = dimensionValue(call, 'day', timeZone);
    if (day < range.fromDay || day > range.toDay) continue;
    if (
      Object.entries(where).some(
        ([dimension, value]) => dimensionValue(call, dimension as RollupDimension) !== value,
      )
    )
      continue;
    const key = Object.fromEntries(
      by.map((dimension) => [dimension, dimensionValue(call, dimension, timeZone)]),
    );
    const id = JSON.stringify(by.map((dimension) => key[dimension]));
    const group = groups.get(id) ?? {
      key,
      cost: 0,
      requests: 0,
      inputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 0,
      estimatedRequests: 0,
    };
    group.cost += costOf(call);
    group.requests += 1;
    group.inputTokens += call.input + (call.cacheRead ?? 0) + (call.cacheWrite ?? 0);
    group.cacheReadTokens += call.cacheRead ?? 0;
    group.cacheWriteTokens += call.cacheWrite ?? 0;
    group.outputTokens += call.output;
    group.estimatedRequests += call.estimated ? 1 : 0;
    groups.set(id, group);
  }
  return groups;
}

/** Checks a breakdown against the expected groups: every amount exact, shares, order. */
function expectBreakdown(breakdown: Breakdown, expected: Map<string, ExpectedGroup>): void {
  const total = [...expected.values()].reduce((sum, group) => sum + group.cost, 0);
  const actual = new Map(
    breakdown.groups.map((group) => [
      JSON.stringify(breakdown.by.map((dimension) => group.key[dimension])),
      group,
    ]),
  );
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [id, want] of expected) {
    const group = actual.get(id)!;
    expect(group.key).toEqual(want.key);
    expect(group.costNano).toBe(want.cost);
    expect(group.costUsd).toBe(nanoToUsd(want.cost));
    expect(group.measures).toMatchObject({
      cost: want.cost,
      requests: want.requests,
      inputTokens: want.inputTokens,
      cacheReadTokens: want.cacheReadTokens,
      cacheWriteTokens: want.cacheWriteTokens,
      outputTokens: want.outputTokens,
      reasoningTokens: 0,
      audioMilliseconds: 0,
      estimatedRequests: want.estimatedRequests,
    });
    expect(group.share).toBeCloseTo(total > 0 ? want.cost / total : 0, 12);
  }
  expect(breakdown.total.costNano).toBe(total);
  expect(breakdown.total.costUsd).toBe(nanoToUsd(total));
  expect(breakdown.total.requests).toBe(
    [...expected.values()].reduce((sum, group) => sum + group.requests, 0),
  );
  for (const measure of ROLLUP_MEASURES) {
    expect(breakdown.total[measure]).toBe(
      breakdown.groups.reduce((sum, group) => sum + group.measures[measure], 0),
    );
  }
  if (breakdown.groups.length > 0) {
    expect(breakdown.groups.reduce((sum, group) => sum + group.share, 0)).toBeCloseTo(total > 0 ? 1 : 0, 9);
  }
  const dayOnly = breakdown.by.length === 1 && breakdown.by[0] === 'day';
  for (let index = 1; index < breakdown.groups.length; index++) {
    const previous = breakdown.groups[index - 1]!;
    const group = breakdown.groups[index]!;
    if (dayOnly) expect(previous.key.day! < group.key.day!).toBe(true);
    else expect(previous.costNano).toBeGreaterThanOrEqual(group.costNano);
  }
}

const LAST_30_DAYS = { fromDay: '2026-10-22', toDay: '2026-11-20' };

describe('breakdown: the original three views, one call each', () => {
  it('by provider (the default), highest cost first', async () => {
    const budget = await record(CALLS);
    const breakdown = await budget.breakdown();
    expect(breakdown.by).toEqual(['provider']);
    expect(breakdown).toMatchObject(LAST_30_DAYS);
    // Worked by hand from the published prices (nano-USD):
    // anthropic: 20,000 × $3 + 2,000 × $15 = 90,000,000; 4,000 × $3 + 2,000 × $0.30 + 1,000 × $3.75 + 600 × $15
    //   = 25,350,000; 2,500 × $3 + 350 × $15 = 12,750,000 → 128,100,000
    // openai: 6,000,000 + 800 × $0.15 + 20 × $0.60 (132,000) + 9,000 × $2.50 + 3,000 × $1.25 + 700 × $10
    //   (33,250,000) + 600 × $0.15 + 150 × $0.60 (180,000) + 10,500,000 → 50,062,000
    // mistral: 1,500 × $0.50 + 400 × $1.50 = 1,350,000; qwen: 300 × $0.40 + 10 × $1.20 = 132,000
    expect(breakdown.groups.map((group) => [group.key.provider, group.costNano])).toEqual([
      ['anthropic', 128_100_000],
      ['openai', 50_062_000],
      ['mistral', 1_350_000],
      ['qwen', 132_000],
    ]);
    expect(breakdown.total.costNano).toBe(179_644_000);
    expect(breakdown.groups[0]!.share).toBeCloseTo(128_100_000 / 179_644_000, 12);
    expectBreakdown(breakdown, expectedGroups(CALLS, ['provider'], LAST_30_DAYS));
  });

  it('by day (daily costs), in calendar order, only days with spend', async () => {
    const budget = await record(CALLS);
    const breakdown = await budget.breakdown({ by: ['day'] });
    expect(breakdown.groups.map((group) => group.key.day)).toEqual([
      '2026-11-05',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
    ]);
    expect(breakdown.groups.map((group) => group.costNano)).toEqual([
      90_000_000, 31_482_000, 47_350_000, 10_812_000,
    ]);
    expectBreakdown(breakdown, expectedGroups(CALLS, ['day'], LAST_30_DAYS));
  });

  it('by request type', async () => {
    const budget = await record(CALLS);
    const breakdown = await budget.breakdown({ by: ['requestType'] });
    expect(
      breakdown.groups.map((group) => [group.key.requestType, group.costNano, group.measures.requests]),
    ).toEqual([
      ['summarize', 148_600_000, 3],
      ['chat', 30_780_000, 5],
      ['classify', 264_000, 2],
    ]);
    expectBreakdown(breakdown, expectedGroups(CALLS, ['requestType'], LAST_30_DAYS));
  });
});

describe('breakdown: dimensions and combinations', () => {
  const combinations: RollupDimension[][] = [
    ['model'],
    ['service'],
    ['userId'],
    ['projectId'],
    ['provider', 'model'],
    ['requestType', 'userId'],
    ['day', 'provider'],
    ['provider', 'day', 'requestType'],
    ['day', 'provider', 'model', 'service', 'requestType', 'userId', 'projectId'],
  ];
  for (const by of combinations) {
    it(`groups by ${by.join(' + ')}`, async () => {
      const budget = await record(CALLS);
      const breakdown = await budget.breakdown({ by });
      expect(breakdown.by).toEqual(by);
      expectBreakdown(breakdown, expectedGroups(CALLS, by, LAST_30_DAYS));
    });
  }

  it('reports calls without a user under the empty user id, and counts estimated usage', async () => {
    const budget = await record(CALLS);
    const breakdown = await budget.breakdown({ by: ['userId'] });
    const anonymous = breakdown.groups.find((group) => group.key.userId === '')!;
    expect(anonymous.costNano).toBe(33_250_000);
    expect(anonymous.measures).toMatchObject({ requests: 1, inputTokens: 12_000, cacheReadTokens: 3_000 });
    expect(breakdown.total.estimatedRequests).toBe(1);
  });

  it('reports an empty breakdown when nothing was recorded', async () => {
    const budget = await record([]);
    const breakdown = await budget.breakdown({ by: ['provider', 'day'] });
    expect(breakdown.groups).toEqual([]);
    expect(breakdown.total.costNano).toBe(0);
    expect(breakdown.total.costUsd).toBe(0);
    expect(breakdown.total.requests).toBe(0);
  });

  it('puts report days in the report time zone', async () => {
    const budget = await record(CALLS, { reportTimeZone: 'America/New_York' });
    const breakdown = await budget.breakdown({ by: ['day'], from: '2026-11-18', to: '2026-11-20' });
    const range = { fromDay: '2026-11-18', toDay: '2026-11-20' };
    expectBreakdown(breakdown, expectedGroups(CALLS, ['day'], range, {}, 'America/New_York'));
    // 03:00Z on the 20th is 22:00 on the 19th in New York: gpt-4o-mini's 180,000 moves a day back.
    expect(breakdown.groups.map((group) => [group.key.day, group.costNano])).toEqual([
      ['2026-11-18', 31_482_000],
      ['2026-11-19', 47_350_000 + 180_000],
      ['2026-11-20', 10_812_000 - 180_000],
    ]);
  });
});

describe('breakdown: day ranges and filters', () => {
  it('includes both ends of a from/to range', async () => {
    const budget = await record(CALLS);
    const range = { fromDay: '2026-11-18', toDay: '2026-11-19' };
    const breakdown = await budget.breakdown({ by: ['provider'], from: range.fromDay, to: range.toDay });
    expect(breakdown).toMatchObject(range);
    expect(breakdown.total.costNano).toBe(31_482_000 + 47_350_000);
    expectBreakdown(breakdown, expectedGroups(CALLS, ['provider'], range));
  });

  it('reads Date bounds in the report time zone', async () => {
    const budget = await record(CALLS);
    const breakdown = await budget.breakdown({
      by: ['day'],
      from: new Date('2026-11-05T23:59:59Z'),
      to: new Date('2026-11-18T00:00:00Z'),
    });
    expect(breakdown).toMatchObject({ fromDay: '2026-11-05', toDay: '2026-11-18' });
    expect(breakdown.groups.map((group) => [group.key.day, group.costNano])).toEqual([
      ['2026-11-05', 90_000_000],
      ['2026-11-18', 31_482_000],
    ]);
  });

  it('counts `days` back from `to`, today included, 30 by default', async () => {
    const budget = await record(CALLS);
    const lastThree = await budget.breakdown({ by: ['provider'], days: 3 });
    expect(lastThree).toMatchObject({ fromDay: '2026-11-18', toDay: '2026-11-20' });
    expectBreakdown(
      lastThree,
      expectedGroups(CALLS, ['provider'], { fromDay: '2026-11-18', toDay: '2026-11-20' }),
    );
    const oneDay = await budget.breakdown({ by: ['provider'], days: 1, to: '2026-11-19' });
    expect(oneDay).toMatchObject({ fromDay: '2026-11-19', toDay: '2026-11-19' });
    expect(oneDay.total.costNano).toBe(47_350_000);
    const twoMonths = await budget.breakdown({ by: ['day'], days: 60 });
    expect(twoMonths.fromDay).toBe('2026-09-22');
    expect(twoMonths.groups[0]!.key.day).toBe('2026-10-15');
    expect(twoMonths.total.costNano).toBe(179_644_000 + 350_000_000);
  });

  it('filters by one or several dimensions', async () => {
    const budget = await record(CALLS);
    const openai = await budget.breakdown({ by: ['model'], where: { provider: 'openai' } });
    expectBreakdown(openai, expectedGroups(CALLS, ['model'], LAST_30_DAYS, { provider: 'openai' }));
    expect(openai.total.costNano).toBe(50_062_000);
    const userChat = await budget.breakdown({ by: ['day'], where: { userId: 'u-1', requestType: 'chat' } });
    expectBreakdown(
      userChat,
      expectedGroups(CALLS, ['day'], LAST_30_DAYS, { userId: 'u-1', requestType: 'chat' }),
    );
    expect(userChat.groups.map((group) => [group.key.day, group.costNano])).toEqual([
      ['2026-11-18', 6_000_000],
      ['2026-11-20', 180_000 + 10_500_000],
    ]);
    const nobody = await budget.breakdown({ where: { userId: 'u-404' } });
    expect(nobody.groups).toEqual([]);
  });
});

describe('breakdown: bad input', () => {
  const cases: [string, Parameters<BudgetManager['breakdown']>[0]][] = [
    ['an unknown dimension', { by: ['vendor' as RollupDimension] }],
    ['a measure as a dimension', { by: ['day', 'cost' as RollupDimension] }],
    ['a day that does not exist', { from: '2026-02-30', to: '2026-03-01' }],
    ['a month that does not exist', { to: '2026-13-01' }],
    ['a day without dashes', { from: '20261101' }],
    ['a day with a time', { to: '2026-11-20T00:00:00Z' }],
    ['an invalid Date', { from: new Date(Number.NaN) }],
    ['a number as a day', { from: 20_261_101 as unknown as string }],
    ['from after to', { from: '2026-11-20', to: '2026-11-19' }],
    ['a negative day count', { days: -1 }],
    ['a fractional day count', { days: 2.5 }],
    ['too many days', { days: 100_000 }],
    ['a filter on day', { where: { day: '2026-11-20' } as never }],
    ['a filter on an unknown dimension', { where: { vendor: 'openai' } as never }],
    ['a filter value that is an operator', { where: { provider: '$ne' } }],
    ['a filter value that is not a string', { where: { provider: { $ne: 'x' } as unknown as string } }],
  ];
  for (const [name, options] of cases) {
    it(`rejects ${name} with ValidationError`, async () => {
      const budget = await record([]);
      await expect(budget.breakdown(options)).rejects.toBeInstanceOf(ValidationError);
    });
  }
});

describe('breakdown: generated histories', () => {
  const models = Object.keys(PUBLISHED_LLM_PRICES).filter((model) =>
    ['openai/', 'anthropic/claude-sonnet', 'mistral/mistral-large', 'qwen/qwen-plus'].some((prefix) =>
      model.startsWith(prefix),
    ),
  );
  const callArbitrary = fc.record({
    model: fc.constantFrom(...models),
    requestType: fc.constantFrom('chat', 'summarize', 'classify', 'extract'),
    userId: fc.option(fc.constantFrom('u-1', 'u-2', 'u-3'), { nil: undefined }),
    daysAgo: fc.integer({ min: 0, max: 40 }),
    millisecondOfDay: fc.integer({ min: 0, max: 86_399_999 }),
    input: fc.integer({ min: 0, max: 60_000 }),
    cacheRead: fc.integer({ min: 0, max: 40_000 }),
    cacheWrite: fc.integer({ min: 0, max: 20_000 }),
    output: fc.integer({ min: 0, max: 16_000 }),
    estimated: fc.boolean(),
  });
  const dimensions: RollupDimension[] = ['day', 'provider', 'model', 'service', 'requestType', 'userId'];

  it('reports exact sums of each call’s published-price cost for any grouping and range', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(callArbitrary, { maxLength: 40 }),
        fc.shuffledSubarray(dimensions, { minLength: 1 }),
        fc.integer({ min: 1, max: 45 }),
        fc.option(fc.constantFrom('openai', 'anthropic', 'mistral'), { nil: undefined }),
        async (generated, by, days, provider) => {
          const today = Date.parse('2026-11-20T00:00:00Z');
          const calls: Call[] = generated.map((call) => ({
            at: new Date(today - call.daysAgo * 86_400_000 + call.millisecondOfDay).toISOString(),
            model: call.model,
            requestType: call.requestType,
            ...(call.userId ? { userId: call.userId } : {}),
            input: call.input,
            cacheRead: call.cacheRead,
            cacheWrite: call.cacheWrite,
            output: call.output,
            estimated: call.estimated,
          }));
          const budget = await record(calls);
          const where = provider ? { provider } : {};
          const breakdown = await budget.breakdown({ by, days, where });
          const from = new Date(today - (days - 1) * 86_400_000).toISOString().slice(0, 10);
          expect(breakdown).toMatchObject({ fromDay: from, toDay: '2026-11-20' });
          expectBreakdown(
            breakdown,
            expectedGroups(calls, by, { fromDay: from, toDay: '2026-11-20' }, where),
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});
