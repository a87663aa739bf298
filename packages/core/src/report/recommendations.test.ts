import { describe, expect, it } from 'vitest';
import type { BudgetConfig } from '../config/budget-config';
import { createBudget, type CreateBudgetOptions } from '../budget/budget-manager';
import type { UserPrice } from '../catalog/price-catalog';
import { formatUsd } from '../money/money';
import { tokenCost } from './__fixtures__/published-prices';
import { buildRecommendations, PROJECTION_WARNING_SHARE } from './recommendations';

// One nano-USD per input token of acme/meter, so every amount below is exact.
const METER: UserPrice = { provider: 'acme', model: 'meter', prices: { inputPerMTok: 0.001 } };
const MONTH_BUDGET: BudgetConfig = { id: 'app', limitUsd: 10, period: 'month' };

function budgetAt(iso: string, options: CreateBudgetOptions = {}) {
  return createBudget({ budgets: [MONTH_BUDGET], prices: [METER], clock: () => Date.parse(iso), ...options });
}

type Budget = ReturnType<typeof budgetAt>;

const spendNano = (budget: Budget, nano: number, at: string, userId?: string) =>
  budget.recordUsage({
    provider: 'acme',
    model: 'meter',
    usage: { inputTokens: nano },
    timestamp: Date.parse(at),
    ...(userId ? { context: { userId } } : {}),
  });

const call = (
  budget: Budget,
  model: string,
  input: number,
  output: number,
  at: string,
  requestType = 'chat',
) => {
  const [provider, name] = model.split('/') as [string, string];
  return budget.recordUsage({
    provider,
    model: name,
    usage: { inputTokens: input, outputTokens: output },
    timestamp: Date.parse(at),
    context: { requestType },
  });
};

describe('recommendations: urgent at RED and CRITICAL', () => {
  const levels: [level: string, nano: number, urgent: string | undefined][] = [
    ['GREEN', 4_999_999_999, undefined],
    ['YELLOW', 5_000_000_000, undefined],
    ['ORANGE', 7_500_000_000, undefined],
    ['ORANGE', 8_999_999_999, undefined],
    [
      'RED',
      9_000_000_000,
      'Budget "app" is RED at 90.0% ($9.00 of $10.00): switch to the cheapest models and defer non-essential calls.',
    ],
    [
      'RED',
      9_200_000_000,
      'Budget "app" is RED at 92.0% ($9.20 of $10.00): switch to the cheapest models and defer non-essential calls.',
    ],
    [
      'CRITICAL',
      10_000_000_000,
      'Budget "app" is CRITICAL at 100.0% ($10.00 of $10.00): switch to the cheapest models and defer non-essential calls.',
    ],
    [
      'CRITICAL',
      12_346_000_000,
      'Budget "app" is CRITICAL at 123.5% ($12.35 of $10.00): switch to the cheapest models and defer non-essential calls.',
    ],
  ];
  for (const [level, nano, urgent] of levels) {
    it(`${urgent ? 'recommends' : 'does not recommend'} urgent action at ${level} (${nano} nano-USD of $10)`, async () => {
      // On the last day of the month the projection is what was spent, so it adds nothing of its own below 110%.
      const budget = budgetAt('2026-11-30T12:00:00Z');
      await spendNano(budget, nano, '2026-11-02T12:00:00Z');
      expect((await budget.status())[0]!.alertLevel).toBe(level);
      const recommendations = await budget.recommendations();
      const found = recommendations.filter((recommendation) => recommendation.kind === 'urgent');
      if (urgent === undefined) expect(found).toEqual([]);
      else expect(found).toEqual([{ kind: 'urgent', severity: 'urgent', budgetId: 'app', message: urgent }]);
    });
  }

  it('names the scope of a per-user budget and only for the user in context', async () => {
    const budget = createBudget({
      budgets: [
        { id: 'app', limitUsd: 100 },
        { id: 'per-user', limitUsd: 1, period: 'day', scope: 'user' },
      ],
      prices: [METER],
      clock: () => Date.parse('2026-11-20T23:00:00Z'),
    });
    await spendNano(budget, 950_000_000, '2026-11-20T10:00:00Z', 'u-1');
    const urgent = async (userId: string) =>
      (await budget.recommendations({ context: { userId } })).filter(
        (recommendation) => recommendation.kind === 'urgent',
      );
    expect(await urgent('u-1')).toEqual([
      {
        kind: 'urgent',
        severity: 'urgent',
        budgetId: 'per-user',
        message:
          'Budget "per-user" for user:u-1 is RED at 95.0% ($0.95 of $1.00): switch to the cheapest models and defer non-essential calls.',
      },
    ]);
    expect(await urgent('u-2')).toEqual([]);
  });
});

describe('recommendations: the costliest provider', () => {
  it('names the provider with the highest spend in the report window, with its share', async () => {
    const budget = budgetAt('2026-11-20T12:00:00Z');
    // openai: two gpt-4o calls of 10,000 in / 1,000 out = 2 × 35,000,000; anthropic 60,000,000; mistral 6,500,000.
    await call(budget, 'openai/gpt-4o', 10_000, 1_000, '2026-11-10T12:00:00Z');
    await call(budget, 'openai/gpt-4o', 10_000, 1_000, '2026-11-19T12:00:00Z');
    await call(budget, 'anthropic/claude-sonnet-4-5', 10_000, 2_000, '2026-11-18T12:00:00Z');
    await call(budget, 'mistral/mistral-large-latest', 10_000, 1_000, '2026-11-17T12:00:00Z');
    expect([
      2 * tokenCost('openai/gpt-4o', { input: 10_000, output: 1_000 }),
      tokenCost('anthropic/claude-sonnet-4-5', { input: 10_000, output: 2_000 }),
      tokenCost('mistral/mistral-large-latest', { input: 10_000, output: 1_000 }),
    ]).toEqual([70_000_000, 60_000_000, 6_500_000]);
    const [top] = (await budget.recommendations()).filter(
      (recommendation) => recommendation.kind === 'top-provider',
    );
    // 70,000,000 / 136,500,000 = 51.28%
    expect(top).toEqual({
      kind: 'top-provider',
      severity: 'info',
      message:
        'openai is the most expensive provider: $0.07, 51.3% of spend from 2026-10-22 to 2026-11-20. Review which calls need it.',
    });
  });

  it('looks only at the days asked for', async () => {
    const budget = budgetAt('2026-11-20T12:00:00Z');
    await call(budget, 'anthropic/claude-sonnet-4-5', 20_000, 4_000, '2026-11-10T12:00:00Z');
    await call(budget, 'openai/gpt-4o', 10_000, 1_500, '2026-11-19T12:00:00Z');
    const top = async (days: number) =>
      (await budget.recommendations({ days })).find(
        (recommendation) => recommendation.kind === 'top-provider',
      )!.message;
    // 30 days: anthropic 120,000,000 of 160,000,000 = 75%; 7 days: only openai's 40,000,000.
    expect(await top(30)).toBe(
      'anthropic is the most expensive provider: $0.12, 75.0% of spend from 2026-10-22 to 2026-11-20. Review which calls need it.',
    );
    expect(await top(7)).toBe(
      'openai is the most expensive provider: $0.04, 100.0% of spend from 2026-11-14 to 2026-11-20. Review which calls need it.',
    );
  });

  it('says nothing about providers without provider data, or when nothing cost money', async () => {
    const empty = budgetAt('2026-11-20T12:00:00Z');
    expect(await empty.recommendations()).toEqual([]);
    const local = budgetAt('2026-11-20T12:00:00Z');
    await call(local, 'ollama/llama3.2', 50_000, 5_000, '2026-11-19T12:00:00Z');
    expect((await local.breakdown()).groups.map((group) => [group.key.provider, group.costNano])).toEqual([
      ['ollama', 0],
    ]);
    expect(await local.recommendations()).toEqual([]);
  });
});

describe('recommendations: projection above 110% of the budget', () => {
  it('warns only above 110%, not at it', async () => {
    expect(PROJECTION_WARNING_SHARE).toBe(1.1);
    // On 3 November (3 of 30 days) the linear projection is ten times the spend.
    const atLine = budgetAt('2026-11-03T12:00:00Z');
    await spendNano(atLine, 1_100_000_000, '2026-11-01T12:00:00Z');
    expect((await atLine.status())[0]!.projectedNano).toBe(11_000_000_000);
    expect(
      (await atLine.recommendations()).filter((recommendation) => recommendation.kind === 'projection'),
    ).toEqual([]);

    const above = budgetAt('2026-11-03T12:00:00Z');
    await spendNano(above, 1_100_000_001, '2026-11-01T12:00:00Z');
    expect((await above.status())[0]!.projectedNano).toBe(11_000_000_010);
    expect(
      (await above.recommendations()).filter((recommendation) => recommendation.kind === 'projection'),
    ).toEqual([
      {
        kind: 'projection',
        severity: 'warning',
        budgetId: 'app',
        message:
          'Budget "app" is projected to reach $11.00 this month, 110% of its $10.00 limit (linear projection after 3 of its 30 days).',
      },
    ]);
  });

  it('follows the recent trend once a week of data exists', async () => {
    const budget = budgetAt('2026-11-20T12:00:00Z');
    await spendNano(budget, 1_000_000_000, '2026-11-01T12:00:00Z');
    await spendNano(budget, 5_000_000_000, '2026-11-18T12:00:00Z');
    // Linear: 6,000,000,000 × 30 / 20 = $9.00, no warning. Trend: 6,000,000,000 + 5,000,000,000 × 10 / 7.
    const [status] = await budget.status();
    expect(status!.projection).toMatchObject({ method: 'recent-trend', linearNano: 9_000_000_000 });
    expect(status!.projectedNano).toBe(6_000_000_000 + 7_142_857_143);
    const projection = (await budget.recommendations()).find(
      (recommendation) => recommendation.kind === 'projection',
    );
    expect(projection?.message).toBe(
      'Budget "app" is projected to reach $13.14 this month, 131% of its $10.00 limit (recent-trend projection after 20 of its 30 days).',
    );
  });

  it('projects a day budget by the hour', async () => {
    const budget = createBudget({
      budgets: [{ id: 'daily', limitUsd: 1, period: 'day' }],
      prices: [METER],
      clock: () => Date.parse('2026-11-20T06:00:00Z'),
    });
    await spendNano(budget, 300_000_000, '2026-11-20T05:00:00Z');
    const projection = (await budget.recommendations()).filter(
      (recommendation) => recommendation.kind === 'projection',
    );
    // 6 hours in: $0.30 × 24 / 6 = $1.20.
    expect(projection.map((recommendation) => recommendation.message)).toEqual([
      'Budget "daily" is projected to reach $1.20 this day, 120% of its $1.00 limit (linear projection after 6 of its 24 hours).',
    ]);
  });
});

describe('recommendations: all together', () => {
  it('lists urgent, costliest provider, projection and up to three savings, in that order', async () => {
    const budget = createBudget({
      budgets: [{ id: 'app', limitUsd: 2, period: 'month' }],
      clock: () => Date.parse('2026-11-04T12:00:00Z'),
    });
    // Four request types on gpt-4o: 12,000 in / 800 out is $0.038 a call.
    const types = ['summarize', 'translate', 'chat', 'extract'];
    for (const [index, requestType] of types.entries()) {
      for (let count = 0; count < 12 - index * 2; count++) {
        await call(
          budget,
          'openai/gpt-4o',
          12_000,
          800,
          new Date(Date.parse('2026-11-01T12:00:00Z') + count * 3_600_000).toISOString(),
          requestType,
        );
      }
    }
    // 12 + 10 + 8 + 6 = 36 calls: $1.368 of $2 (ORANGE, not urgent) → add $0.45 on claude to reach RED.
    await call(budget, 'anthropic/claude-sonnet-4-5', 50_000, 20_000, '2026-11-02T12:00:00Z', 'review');
    const spent =
      36 * 38_000_000 + tokenCost('anthropic/claude-sonnet-4-5', { input: 50_000, output: 20_000 });
    expect(spent).toBe(1_818_000_000);
    const recommendations = await budget.recommendations();
    const savings = await budget.whatIfSavings();
    expect(recommendations.map((recommendation) => recommendation.kind)).toEqual([
      'urgent',
      'top-provider',
      'projection',
      'savings',
      'savings',
      'savings',
    ]);
    expect(recommendations[0]!.message).toBe(
      'Budget "app" is RED at 90.9% ($1.82 of $2.00): switch to the cheapest models and defer non-essential calls.',
    );
    expect(recommendations[1]!.message).toBe(
      `openai is the most expensive provider: $1.37, ${((1_368_000_000 / spent) * 100).toFixed(1)}% of spend from 2026-10-06 to 2026-11-04. Review which calls need it.`,
    );
    // 4 of 30 days: $1.818 × 30 / 4 = $13.635.
    expect(recommendations[2]!.message).toBe(
      `Budget "app" is projected to reach ${formatUsd(13_635_000_000)} this month, 682% of its $2.00 limit (linear projection after 4 of its 30 days).`,
    );
    expect(savings.length).toBeGreaterThan(3);
    for (const [index, recommendation] of recommendations.slice(3).entries()) {
      const opportunity = savings[index]!;
      expect(recommendation).toEqual({
        kind: 'savings',
        severity: 'info',
        savings: opportunity,
        message: opportunity.message.charAt(0).toUpperCase() + opportunity.message.slice(1) + '.',
      });
    }
    // summarize's 12 calls, $0.456, replayed on gpt-4o-mini: 144,000 × $0.15 + 9,600 × $0.60
    // (mistral-small-latest costs the same; the registry's first of the two wins).
    const summarizeReplay = tokenCost('openai/gpt-4o-mini', { input: 144_000, output: 9_600 });
    expect(summarizeReplay).toBe(27_360_000);
    const summarize = recommendations.find(
      (recommendation) =>
        recommendation.savings?.requestType === 'summarize' &&
        recommendation.savings.kind === 'one-tier-down',
    );
    expect(summarize?.message).toBe(
      `Moving request type 'summarize' from gpt-4o to gpt-4o-mini (one quality tier down) would have saved ${formatUsd(456_000_000 - summarizeReplay)} of ${formatUsd(456_000_000)} in the last 30 days.`,
    );
  });

  it('caps the savings at maxSavings', async () => {
    const budget = budgetAt('2026-11-20T12:00:00Z');
    for (const requestType of ['a', 'b', 'c'])
      await call(budget, 'openai/gpt-4o', 12_000, 800, '2026-11-19T12:00:00Z', requestType);
    const [statuses, providers, savings] = await Promise.all([
      budget.status(),
      budget.breakdown({ by: ['provider'] }),
      budget.whatIfSavings(),
    ]);
    expect(savings).toHaveLength(6);
    const kinds = (maxSavings?: number) =>
      buildRecommendations({
        statuses,
        providers,
        savings,
        ...(maxSavings === undefined ? {} : { maxSavings }),
      })
        .filter((recommendation) => recommendation.kind === 'savings')
        .map((recommendation) => recommendation.savings);
    expect(kinds()).toEqual(savings.slice(0, 3));
    expect(kinds(1)).toEqual(savings.slice(0, 1));
    expect(kinds(0)).toEqual([]);
    expect(kinds(10)).toEqual(savings);
  });

  it('recommends nothing for a quiet month', async () => {
    const budget = budgetAt('2026-11-20T12:00:00Z');
    await spendNano(budget, 1_000_000_000, '2026-11-05T12:00:00Z');
    // acme is the only provider: one info line, no urgent, no projection (1 + 0 × 10 / 7 = $1), no savings.
    expect(await budget.recommendations()).toEqual([
      {
        kind: 'top-provider',
        severity: 'info',
        message:
          'acme is the most expensive provider: $1.00, 100.0% of spend from 2026-10-22 to 2026-11-20. Review which calls need it.',
      },
    ]);
  });
});
