import { describe, expect, it } from 'vitest';
import { createBudget, createUsage, PriceCatalog, ValidationError } from '../index';

const clock = () => Date.UTC(2026, 11, 20, 12);
const call = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1_000, maxOutputTokens: 100 };

/** Runs `attempt` (sync or async) and returns the ValidationError it fails with. */
async function refusal(attempt: () => unknown): Promise<ValidationError> {
  let caught: unknown;
  try {
    await attempt();
  } catch (error) {
    caught = error;
  }
  if (!ValidationError.isInstance(caught))
    throw new Error(`expected a ValidationError, got ${String(caught)}`);
  return caught;
}

describe('unknown option keys are refused with a suggestion', () => {
  const budget = () => createBudget({ clock, onWarning: () => {} });

  const cases: [entryPoint: string, attempt: () => unknown, field: string, suggestion: string][] = [
    ['createBudget', () => createBudget({ leaseMS: 1 } as never), 'options.leaseMS', 'leaseMs'],
    [
      'a budget config',
      () => createBudget({ budgets: [{ id: 'app', limitUSD: 30 } as never] }),
      'budgets[0].limitUSD',
      'limitUsd',
    ],
    [
      'thresholds',
      () => createBudget({ budgets: [{ id: 'app', limitUsd: 30, thresholds: { critcal: 1 } as never }] }),
      'budgets[0].thresholds.critcal',
      'critical',
    ],
    [
      'per-call caps',
      () => createBudget({ budgets: [{ id: 'app', limitUsd: 30, perCallCapsUsd: { redd: 1 } as never }] }),
      'budgets[0].perCallCapsUsd.redd',
      'red',
    ],
    [
      'failOpen',
      () => createBudget({ failOpen: { allowanceUSD: 1 } as never }),
      'failOpen.allowanceUSD',
      'allowanceUsd',
    ],
    [
      'usageBuffer',
      () => createBudget({ usageBuffer: { maxEntry: 1 } as never }),
      'usageBuffer.maxEntry',
      'maxEntries',
    ],
    [
      'gate',
      () => budget().gate({ ...call, maxOutputToken: 5 } as never),
      'request.maxOutputToken',
      'maxOutputTokens',
    ],
    [
      'estimate',
      () => budget().estimate({ ...call, inputToken: 5 } as never),
      'request.inputToken',
      'inputTokens',
    ],
    ['canAfford', () => budget().canAfford({ ...call, modle: 'x' } as never), 'request.modle', 'model'],
    [
      'guard',
      () => budget().guard({ ...call, onInsufficentBudget: 'clamp' } as never, async () => 1),
      'request.onInsufficentBudget',
      'onInsufficientBudget',
    ],
    [
      'recordUsage',
      () =>
        budget().recordUsage({ provider: 'openai', model: 'gpt-4o-mini', usage: {}, timestmp: 1 } as never),
      'input.timestmp',
      'timestamp',
    ],
    ['createUsage', () => createUsage({ inputToken: 1_000 } as never), 'usage.inputToken', 'inputTokens'],
    ['status', () => budget().status({ userID: 'u-1' } as never), 'context.userID', 'userId'],
    [
      'withContext',
      () => budget().withContext({ projectID: 'p' } as never, () => 1),
      'context.projectID',
      'projectId',
    ],
    ['select', () => budget().select({ service: 'llm', minTeir: 2 } as never), 'options.minTeir', 'minTier'],
    ['breakdown', () => budget().breakdown({ by: ['provider'], dayz: 3 } as never), 'options.dayz', 'days'],
    ['whatIfSavings', () => budget().whatIfSavings({ day: 3 } as never), 'options.day', 'days'],
    ['recommendations', () => budget().recommendations({ dys: 3 } as never), 'options.dys', 'days'],
    [
      'downgradeFor',
      () => budget().downgradeFor({ provider: 'openai', model: 'gpt-4o', servce: 'llm' } as never),
      'request.servce',
      'service',
    ],
    [
      'a price',
      () =>
        new PriceCatalog({ prices: [{ provider: 'acme', model: 'm', prices: {}, alias: ['x'] } as never] }),
      'price.alias',
      'aliases',
    ],
    [
      'a model of the registry',
      () => createBudget({ models: [{ provider: 'acme', model: 'm', service: 'llm', teir: 2 } as never] }),
      'models[0].teir',
      'tier',
    ],
  ];

  for (const [entryPoint, attempt, field, suggestion] of cases) {
    it(entryPoint, async () => {
      const error = await refusal(attempt);
      expect(error.field).toBe(field);
      expect(error.message).toContain(`is not an option (did you mean '${suggestion}'?)`);
    });
  }

  it('says where a context field given beside a gate request or a record belongs', async () => {
    const gated = await refusal(() => budget().gate({ ...call, requestType: 'chat' } as never));
    expect(gated.message).toBe(
      'Invalid request.requestType: is not an option here: it goes in `context` (or budget.withContext())',
    );
    const recorded = await refusal(() =>
      budget().recordUsage({ provider: 'openai', model: 'gpt-4o-mini', usage: {}, userId: 'u' } as never),
    );
    expect(recorded.field).toBe('input.userId');
    const typo = await refusal(() => budget().gate({ ...call, requestTyp: 'chat' } as never));
    expect(typo.message).toBe(
      "Invalid request.requestTyp: is not an option here (did you mean 'requestType'? it goes in `context` (or budget.withContext()))",
    );
  });

  it('refuses an unknown key in settle and in guard’s reportUsage', async () => {
    const admission = await budget().gate(call);
    const settle = await refusal(() =>
      admission.settle({ usage: createUsage({ inputTokens: 1 }), requestID: 'r' } as never),
    );
    expect(settle.field).toBe('input.requestID');
    await admission.release();
    const report = await refusal(() =>
      budget().guard(call, async (guarded) =>
        guarded.reportUsage({ inputTokens: 1 }, { estimate: true } as never),
      ),
    );
    expect(report.message).toContain("(did you mean 'estimated'?)");
  });
});

describe('a name from a provider SDK', () => {
  const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 5 }] });
  const gate = (extra: object) => budget.gate({ provider: 'openai', model: 'gpt-4o', ...extra } as never);

  it("is answered with tollgate's name for it", async () => {
    await expect(gate({ text: 'Hi', max_tokens: 100 })).rejects.toThrow(
      "Invalid request.max_tokens: is not an option: tollgate calls it 'maxOutputTokens'",
    );
    await expect(gate({ prompt: 'Hi' })).rejects.toThrow(
      "Invalid request.prompt: is not an option: tollgate calls it 'text'",
    );
    expect(() => createUsage({ promptTokens: 5 } as never)).toThrow(
      "Invalid usage.promptTokens: is not an option: tollgate calls it 'inputTokens'",
    );
    expect(() => budget.withContext({ user: 'u-1' } as never, () => 1)).toThrow(
      "Invalid context.user: is not an option: tollgate calls it 'userId'",
    );
  });

  it("a request's messages are pointed to `text`, or to an adapter that reads them", async () => {
    await expect(gate({ messages: [{ role: 'user', content: 'Hi' }] })).rejects.toThrow(
      "Invalid request.messages: is not an option: give the prompt's text as 'text' (an adapter such as wrapOpenAI reads messages itself)",
    );
  });
});
