import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { BudgetExceededError } from '../errors/budget-exceeded-error';
import { StorageUnavailableError } from '../errors/storage-unavailable-error';
import { ValidationError } from '../errors/validation-error';
import { promptTokenBound } from '../estimate/token-counter';
import { usdToNano } from '../money/money';
import { MemoryStore } from '../store/memory-store';
import type { BudgetStore } from '../store/store-contract';
import { createUsage } from '../usage';
import type { BudgetAlert } from '../alerts/budget-alert';
import { createBudget } from './budget-manager';
import { contextWithDefaults } from './call-context';

const NOW = Date.UTC(2026, 11, 20, 10, 0, 0);
const clock = () => NOW;
// gpt-4o-mini: $0.15 input and $0.60 output per million tokens.
const miniCost = (input: number, output: number) => input * 150 + output * 600;

describe('status', () => {
  it('starts GREEN with everything remaining on the default $30 monthly budget', async () => {
    const budget = createBudget({ clock });
    const [status] = await budget.status();
    expect(status).toMatchObject({
      budgetId: 'default',
      scope: 'global',
      period: 'month',
      periodKey: 'month:2026-12',
      limitUsd: 30,
      usedUsd: 0,
      remainingUsd: 30,
      percentageUsed: 0,
      usedRatio: 0,
      alertLevel: 'GREEN',
      daysRemaining: 12,
      projectedUsd: 0,
      overBudget: false,
      reservedUsd: 0,
      limitNano: usdToNano(30),
      usedNano: 0,
      remainingNano: usdToNano(30),
      reservedNano: 0,
      projectedNano: 0,
    });
  });

  it('shows reserved amounts in flight and spend after settling', async () => {
    const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 1 }], clock });
    const admission = await budget.gate({
      provider: 'openai',
      model: 'gpt-4o-mini',
      inputTokens: 1000,
      maxOutputTokens: 1000,
    });
    expect(admission.reservedNano).toBe(miniCost(1000, 1000));
    expect((await budget.status())[0]!.reservedNano).toBe(miniCost(1000, 1000));
    const settled = await admission.settle({ usage: createUsage({ inputTokens: 1000, outputTokens: 200 }) });
    expect(settled.cost.total).toBe(miniCost(1000, 200));
    const [status] = await budget.status();
    expect(status).toMatchObject({
      usedNano: miniCost(1000, 200),
      reservedNano: 0,
      remainingNano: usdToNano(1) - miniCost(1000, 200),
    });
  });
});

describe('gate', () => {
  it('refuses with a typed error carrying the budget, amounts and level', async () => {
    const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 0.001 }], clock });
    const error = await budget
      .gate({ provider: 'openai', model: 'gpt-4o', inputTokens: 1000, maxOutputTokens: 1000 })
      .catch((caught) => caught);
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      budgetId: 'app',
      neededNano: 12_500_000,
      availableNano: 1_000_000,
      alertLevel: 'GREEN',
      reason: 'insufficient-remaining',
    });
    expect(error.message).toBe(
      'Budget "app" (GREEN) refused a call costing up to $0.0125: only $0.001 is available.',
    );
  });

  it('rejects even tiny costs once over budget', async () => {
    const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 0.01, perCallCapsUsd: false }], clock });
    await budget.recordUsage({ provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 10_000 } });
    const error = await budget
      .gate({ provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1, maxOutputTokens: 1 })
      .catch((caught) => caught);
    expect(error).toMatchObject({
      name: 'BudgetExceededError',
      reason: 'over-budget',
      alertLevel: 'CRITICAL',
    });
    expect((await budget.status())[0]!.overBudget).toBe(true);
  });

  it('clamps the output limit to what the budget affords', async () => {
    const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 0.001, perCallCapsUsd: false }], clock });
    const admission = await budget.gate({
      provider: 'openai',
      model: 'gpt-4o-mini',
      inputTokens: 1000,
      maxOutputTokens: 100_000,
      onInsufficientBudget: 'clamp',
    });
    expect(admission.clamped).toBe(true);
    // $0.001 = 1,000,000 nano; input costs 150,000; 850,000 / 600 per token = 1,416 tokens.
    expect(admission.maxOutputTokens).toBe(1416);
    expect(admission.reservedNano).toBe(miniCost(1000, 1416));
    expect(admission.reservedNano).toBeLessThanOrEqual(usdToNano(0.001));
  });

  it('holds the upper bound of a prompt it cannot count exactly, unless told to hold the likely count', async () => {
    // A Mistral model on the older SentencePiece tokenizer: no local tokenizer, so the gate holds
    // the bound, ceil(1.1 × UTF-8 bytes) + 2, and the heuristic's count is the likely one.
    const text = Array.from({ length: 2_000 }, () => 'Merci').join('\n');
    const request = {
      provider: 'mistral',
      model: 'mistral-large-2411',
      text,
      maxOutputTokens: 100,
      onInsufficientBudget: 'clamp',
    } as const;
    // mistral-large-2411: $2 input and $6 output per million tokens.
    const bound = promptTokenBound(Buffer.byteLength(text), 'generic');
    const strict = await createBudget({ clock }).gate(request);
    expect(strict.reservedNano).toBe(bound * 2_000 + 100 * 6_000);
    expect(strict.estimate.likelyInputTokens).toBeLessThan(strict.estimate.inputTokens);

    const likely = await createBudget({ clock, promptTokens: 'likely' }).gate(request);
    expect(likely.estimate.inputTokens).toBe(strict.estimate.likelyInputTokens);
    expect(likely.reservedNano).toBe(likely.estimate.inputTokens * 2_000 + 100 * 6_000);

    // A clamp keeps the bound for the prompt and the likely count beside it.
    const tight = createBudget({
      budgets: [{ id: 'app', limitUsd: (bound * 2_000 + 50 * 6_000) / 1e9, perCallCapsUsd: false }],
      clock,
    });
    const clamped = await tight.gate(request);
    expect(clamped).toMatchObject({
      clamped: true,
      maxOutputTokens: 50,
      reservedNano: bound * 2_000 + 50 * 6_000,
    });
    expect(clamped.estimate.likelyInputTokens).toBe(strict.estimate.likelyInputTokens);

    expect(() => createBudget({ promptTokens: 'guess' as never })).toThrow(ValidationError);
  });

  it('refuses a clamp below the minimum output', async () => {
    const budget = createBudget({
      budgets: [{ id: 'app', limitUsd: 0.00016, perCallCapsUsd: false }],
      clock,
      minOutputTokens: 32,
    });
    await expect(
      budget.gate({
        provider: 'openai',
        model: 'gpt-4o-mini',
        inputTokens: 1000,
        maxOutputTokens: 500,
        onInsufficientBudget: 'clamp',
      }),
    ).rejects.toThrow(BudgetExceededError);
  });

  it('keeps the affordability buffer free', async () => {
    const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 1, bufferPercent: 10 }], clock });
    expect((await budget.canAfford(0.9)).affordable).toBe(true);
    expect((await budget.canAfford(0.900000001)).affordable).toBe(false);
  });

  it('caps single calls at RED and CRITICAL', async () => {
    const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 10 }], clock });
    await budget.recordUsage({ provider: 'openai', model: 'gpt-4o', usage: { outputTokens: 920_000 } }); // $9.20: RED
    const error = await budget
      .gate({ provider: 'openai', model: 'gpt-4o', inputTokens: 1000, maxOutputTokens: 5000 })
      .catch((caught) => caught);
    // The cap is strict (less than $0.05), and the refusal says what is really available: $10 − $9.20.
    expect(error).toMatchObject({
      reason: 'per-call-cap',
      alertLevel: 'RED',
      perCallCapNano: usdToNano(0.05),
      availableNano: usdToNano(0.8),
    });
    expect(error.message).toBe(
      'Budget "app" (RED) refused a call costing up to $0.0525: at RED a call must cost less than $0.05 ($0.80 is available).',
    );
    const atTheCap = await budget
      .gate({ provider: 'openai', model: 'gpt-4o', inputTokens: 0, maxOutputTokens: 5000 })
      .catch((caught) => caught);
    expect(atTheCap).toMatchObject({ reason: 'per-call-cap', neededNano: usdToNano(0.05) });
    expect((await budget.status())[0]!.reservedNano).toBe(0);
    const small = await budget.gate({
      provider: 'openai',
      model: 'gpt-4o-mini',
      inputTokens: 1000,
      maxOutputTokens: 1000,
    });
    expect(small.reservedNano).toBe(miniCost(1000, 1000));
    const clamped = await budget.gate({
      provider: 'openai',
      model: 'gpt-4o',
      inputTokens: 1000,
      maxOutputTokens: 5000,
      onInsufficientBudget: 'clamp',
    });
    expect(clamped.reservedNano).toBeLessThan(usdToNano(0.05));
  });

  it('charges every budget that applies: the app budget and the user budget', async () => {
    const budget = createBudget({
      budgets: [
        { id: 'app', limitUsd: 30 },
        { id: 'per-user', limitUsd: 0.01, period: 'day', scope: 'user' },
      ],
      clock,
    });
    await budget.withContext({ userId: 'u-1' }, () =>
      budget.recordUsage({ provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 1000 } }),
    );
    await budget.recordUsage({ provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 1000 } });
    const forUser = await budget.status({ userId: 'u-1' });
    expect(forUser.map((status) => [status.budgetId, status.scope, status.usedNano])).toEqual([
      ['app', 'global', 300_000],
      ['per-user', 'user:u-1', 150_000],
    ]);
    const error = await budget
      .withContext({ userId: 'u-1' }, () =>
        budget.gate({ provider: 'openai', model: 'gpt-4o', inputTokens: 1000, maxOutputTokens: 1000 }),
      )
      .catch((caught) => caught);
    expect(error).toMatchObject({ budgetId: 'per-user', scopeKey: 'user:u-1' });
    const other = await budget.gate({
      provider: 'openai',
      model: 'gpt-4o-mini',
      inputTokens: 1000,
      maxOutputTokens: 1000,
      context: { userId: 'u-2' },
    });
    expect(other.reservedNano).toBe(miniCost(1000, 1000));
  });

  it('lets explicit context win over withContext', async () => {
    const budget = createBudget({ clock });
    const admission = await budget.withContext({ userId: 'outer', requestType: 'chat', tags: ['a'] }, () =>
      budget.gate({
        provider: 'openai',
        model: 'gpt-4o-mini',
        inputTokens: 10,
        maxOutputTokens: 10,
        context: { userId: 'inner', tags: ['b'] },
      }),
    );
    expect(admission.context).toEqual({ userId: 'inner', requestType: 'chat', tags: ['a', 'b'] });
    const settled = await admission.settle({ usage: createUsage({ inputTokens: 10, outputTokens: 10 }) });
    expect(settled.record).toMatchObject({ userId: 'inner', requestType: 'chat', tags: ['a', 'b'] });
  });

  it('ranks a client default context below withContext and an explicit context', async () => {
    const budget = createBudget({ clock });
    const defaults = { userId: 'client-default', requestType: 'summarize', tags: ['client'] };
    const gate = () =>
      budget.gate({
        provider: 'openai',
        model: 'gpt-4o-mini',
        inputTokens: 1,
        maxOutputTokens: 1,
        context: contextWithDefaults(defaults),
      });
    expect((await gate()).context).toEqual(defaults);
    const ambient = await budget.withContext({ userId: 'ambient', tags: ['call'] }, gate);
    expect(ambient.context).toMatchObject({ userId: 'ambient', requestType: 'summarize' });
    expect([...(ambient.context.tags ?? [])].sort()).toEqual(['call', 'client']);
    expect(() => contextWithDefaults({ userId: { $ne: 1 } } as never)).toThrow(/defaultContext\.userId/);
  });

  it('never overspends under concurrent gated calls', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 4000 }), { minLength: 1, maxLength: 100 }),
        fc.integer({ min: 0, max: 3 }),
        async (outputs, settleMode) => {
          const budget = createBudget({
            budgets: [{ id: 'app', limitUsd: 0.02, perCallCapsUsd: false }],
            clock,
          });
          const outcomes = await Promise.allSettled(
            outputs.map(async (output) => {
              const admission = await budget.gate({
                provider: 'openai',
                model: 'gpt-4o-mini',
                inputTokens: 1000,
                maxOutputTokens: output,
              });
              if (settleMode === 3 && output % 2 === 0) return admission.release();
              await admission.settle({
                usage: createUsage({
                  inputTokens: 1000,
                  outputTokens: Math.floor(output / (settleMode + 1)),
                }),
              });
            }),
          );
          for (const outcome of outcomes)
            if (outcome.status === 'rejected')
              expect(BudgetExceededError.isInstance(outcome.reason)).toBe(true);
          const [status] = await budget.status();
          expect(status!.usedNano).toBeLessThanOrEqual(usdToNano(0.02));
          expect(status!.reservedNano).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('admits exactly the calls that fit: 100 parallel calls on a budget that affords 40', async () => {
    const perCall = miniCost(1000, 1000);
    const budget = createBudget({
      budgets: [{ id: 'app', limitUsd: (perCall * 40 + perCall / 2) / 1e9, perCallCapsUsd: false }],
      clock,
    });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, () =>
        budget.gate({ provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1000, maxOutputTokens: 1000 }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(40);
  });

  it('settles idempotently and records an overrun instead of hiding it', async () => {
    const budget = createBudget({ clock });
    const admission = await budget.gate({
      provider: 'openai',
      model: 'gpt-4o-mini',
      inputTokens: 100,
      maxOutputTokens: 100,
    });
    const usage = createUsage({ inputTokens: 100, outputTokens: 5000 });
    const first = await admission.settle({ usage, requestId: 'chatcmpl-1' });
    const second = await admission.settle({ usage, requestId: 'chatcmpl-1' });
    expect(second).toBe(first);
    expect(first.record.overrun).toBe(miniCost(100, 5000) - miniCost(100, 100));
    const duplicate = await budget.recordUsage({
      provider: 'openai',
      model: 'gpt-4o-mini',
      usage,
      requestId: 'chatcmpl-1',
    });
    expect(duplicate.recorded).toBe(false);
    expect((await budget.status())[0]!.usedNano).toBe(miniCost(100, 5000));
  });

  it('refuses within the admission timeout when the store hangs', async () => {
    vi.useFakeTimers();
    try {
      const hanging = new MemoryStore();
      hanging.reserve = () => new Promise(() => {});
      const budget = createBudget({ store: hanging, admissionTimeoutMs: 50, clock });
      let refusal: unknown;
      budget
        .gate({ provider: 'openai', model: 'gpt-4o-mini', inputTokens: 10, maxOutputTokens: 10 })
        .catch((caught) => {
          refusal = caught;
        });
      await vi.advanceTimersByTimeAsync(49);
      expect(refusal).toBeUndefined();
      await vi.advanceTimersByTimeAsync(51);
      expect(StorageUnavailableError.isInstance(refusal)).toBe(true);
      expect((refusal as Error).message).toBe('The budget store did not answer the reserve within 50 ms.');
    } finally {
      vi.useRealTimers();
    }
  });

  it('turns a failing store into StorageUnavailableError', async () => {
    const failing: BudgetStore = new MemoryStore();
    failing.reserve = async () => {
      throw new Error('connection reset');
    };
    const budget = createBudget({ store: failing, clock });
    await expect(
      budget.gate({ provider: 'openai', model: 'gpt-4o-mini', inputTokens: 10, maxOutputTokens: 10 }),
    ).rejects.toThrow(StorageUnavailableError);
  });
});

describe('guard', () => {
  it('settles from the usage the function reports', async () => {
    const budget = createBudget({ clock });
    const text = await budget.guard(
      { provider: 'ibm_watson', model: 'speech-to-text', service: 'stt', audioSeconds: 120 },
      async (report) => {
        report.reportUsage({ audioSeconds: 90 });
        return 'transcript';
      },
    );
    expect(text).toBe('transcript');
    expect((await budget.status())[0]!.usedNano).toBe(usdToNano(0.03)); // 1.5 min × $0.02
  });

  it('settles from the estimate when nothing is reported, and releases on error', async () => {
    const budget = createBudget({ clock });
    await budget.guard(
      { provider: 'ibm_watson', model: 'text-to-speech', service: 'tts', characters: 1000 },
      async () => 'ok',
    );
    expect((await budget.status())[0]!.usedNano).toBe(usdToNano(0.02));
    await expect(
      budget.guard(
        { provider: 'ibm_watson', model: 'text-to-speech', service: 'tts', characters: 1000 },
        async () => {
          throw new Error('provider down');
        },
      ),
    ).rejects.toThrow('provider down');
    const [status] = await budget.status();
    expect([status!.usedNano, status!.reservedNano]).toEqual([usdToNano(0.02), 0]);
  });
});

describe('alerts', () => {
  it('fires once per threshold crossing, both zones when one call jumps two', async () => {
    const alerts: BudgetAlert[] = [];
    const budget = createBudget({
      budgets: [{ id: 'app', limitUsd: 1 }],
      clock,
      onAlert: (alert) => alerts.push(alert),
    });
    const emitted: string[] = [];
    budget.on('alert', (alert) => emitted.push(alert.level));
    const spend = (usd: number) =>
      budget.recordUsage({
        provider: 'openai',
        model: 'gpt-4o-mini',
        usage: { inputTokens: Math.round(usd / 0.00000015) },
      });
    await spend(0.6); // YELLOW: no alert
    expect(alerts).toEqual([]);
    await spend(0.31); // 91%: ORANGE and RED at once
    expect(alerts.map((alert) => [alert.level, alert.severity])).toEqual([
      ['ORANGE', 'info'],
      ['RED', 'warning'],
    ]);
    await spend(0.01);
    expect(alerts).toHaveLength(2);
    await spend(0.2);
    expect(alerts.map((alert) => alert.level)).toEqual(['ORANGE', 'RED', 'CRITICAL']);
    expect(emitted).toEqual(['ORANGE', 'RED', 'CRITICAL']);
    expect(alerts[2]!.message).toBe('Budget "app" is CRITICAL: $1.12 of $1.00 used (112.0%) this month.');
  });

  it('starts again in a new period', async () => {
    let now = NOW;
    const alerts: string[] = [];
    const budget = createBudget({
      budgets: [{ id: 'app', limitUsd: 1, period: 'day' }],
      clock: () => now,
      onAlert: (alert) => alerts.push(`${alert.period}:${alert.level}`),
    });
    await budget.recordUsage({
      provider: 'openai',
      model: 'gpt-4o-mini',
      usage: { outputTokens: 1_600_000 },
    });
    now += 24 * 3_600_000;
    await budget.recordUsage({
      provider: 'openai',
      model: 'gpt-4o-mini',
      usage: { outputTokens: 1_600_000 },
    });
    expect(alerts).toEqual([
      'day:2026-12-20:ORANGE',
      'day:2026-12-20:RED',
      'day:2026-12-21:ORANGE',
      'day:2026-12-21:RED',
    ]);
  });

  it('checkAlerts maps CRITICAL → critical, RED → warning, ORANGE → info and nothing below', async () => {
    const budget = createBudget({
      budgets: [
        { id: 'green', limitUsd: 100 },
        { id: 'orange', limitUsd: 1.5 },
        { id: 'red', limitUsd: 1.3 },
        { id: 'critical', limitUsd: 1 },
      ],
      clock,
    });
    await budget.recordUsage({
      provider: 'openai',
      model: 'gpt-4o-mini',
      usage: { outputTokens: 1_000_000 },
    }); // $0.60
    await budget.recordUsage({
      provider: 'openai',
      model: 'gpt-4o-mini',
      usage: { outputTokens: 1_000_000 },
    });
    const alerts = await budget.checkAlerts();
    expect(alerts.map((alert) => [alert.budgetId, alert.severity])).toEqual([
      ['orange', 'info'],
      ['red', 'warning'],
      ['critical', 'critical'],
    ]);
  });
});

describe('bad input', () => {
  const hostile = [
    { $gt: '' },
    '$where',
    'a.b',
    '__proto__',
    '',
    'x'.repeat(10_000),
    42,
    null,
    ['a'],
    Number.NaN,
  ];

  it('rejects hostile ids and tags with ValidationError and writes nothing', async () => {
    const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 1 }], clock });
    for (const value of hostile) {
      for (const context of [
        { userId: value },
        { tags: [value] },
        { requestType: value },
        { projectId: value },
      ]) {
        if (
          typeof (context as { userId?: unknown }).userId === 'string' &&
          (context as { userId: string }).userId === 'a.b'
        )
          continue;
        if (
          typeof (context as { projectId?: unknown }).projectId === 'string' &&
          (context as { projectId: string }).projectId === 'a.b'
        )
          continue;
        const error = await budget
          .gate({
            provider: 'openai',
            model: 'gpt-4o-mini',
            inputTokens: 1,
            maxOutputTokens: 1,
            context: context as never,
          })
          .catch((caught) => caught);
        expect(ValidationError.isInstance(error), JSON.stringify(context)).toBe(true);
      }
    }
    const [status] = await budget.status();
    expect([status!.usedNano, status!.reservedNano]).toEqual([0, 0]);
  });

  it('rejects bad amounts and configuration naming the field', async () => {
    const budget = createBudget({ clock });
    for (const inputTokens of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10']) {
      const error = await budget
        .gate({ provider: 'openai', model: 'gpt-4o', inputTokens: inputTokens as number, maxOutputTokens: 1 })
        .catch((caught) => caught);
      expect(error).toMatchObject({ name: 'ValidationError', field: 'inputTokens' });
    }
    expect(() => createBudget({ budgets: [{ id: 'a', limitUsd: -1 }] })).toThrow(ValidationError);
    // Below one nano-USD a limit would be kept as 0 and refuse every call.
    expect(() => createBudget({ budgets: [{ id: 'a', limitUsd: 1e-12 }] })).toThrow(/at least 0.000000001/);
    expect(createBudget({ budgets: [{ id: 'a', limitUsd: 1e-9 }] })).toBeDefined();
    expect(() => createBudget({ budgets: [{ id: 'a', limitUsd: 1, timeZone: 'Mars/Olympus' }] })).toThrow(
      /timeZone/,
    );
    expect(() => createBudget({ budgets: [{ id: '$a', limitUsd: 1 }] })).toThrow(/budgets\[0\]\.id/);
    expect(() => createBudget({ budgets: [{ id: 'a', limitUsd: 1, period: 'year' as never }] })).toThrow(
      /period/,
    );
    expect(() => createBudget({ budgets: [] })).toThrow(ValidationError);
  });
});
