import { describe, expect, it } from 'vitest';
import { createBudget, createUsage, TollgateWarning } from '../index';

const clock = () => Date.UTC(2026, 11, 20, 12);
const call = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1_000, maxOutputTokens: 100 };
const budgets = [
  { id: 'app', limitUsd: 30 },
  { id: 'per-user', limitUsd: 2, period: 'day' as const, scope: 'user' as const },
  { id: 'per-tenant', limitUsd: 5, scope: { attribute: 'tenant' } },
];

function warned() {
  const received: TollgateWarning[] = [];
  const budget = createBudget({ budgets, clock, onWarning: (warning) => received.push(warning) });
  return { budget, received, seen: () => received.map((warning) => [warning.code, warning.subject]) };
}

describe('a call missing the context a scoped budget needs', () => {
  it('warns once per budget, naming the field to set, and still charges the budgets it names', async () => {
    const { budget, received, seen } = warned();
    for (let index = 0; index < 3; index++) await (await budget.gate(call)).release();
    await budget.withContext({ attributes: { tenant: 'acme' } }, () => budget.gate(call));
    expect(seen()).toEqual([
      ['TOLLGATE_MISSING_CONTEXT', 'per-user'],
      ['TOLLGATE_MISSING_CONTEXT', 'per-tenant'],
    ]);
    expect(received.every((warning) => TollgateWarning.isInstance(warning))).toBe(true);
    expect(received.map((warning) => warning.message)).toEqual([
      "budget 'per-user' (per user) was not charged: the call names no userId; run the call inside budget.withContext({ userId }, () => …), or give it in gate()'s context or a wrapped client's context option",
      "budget 'per-tenant' (per tenant) was not charged: the call names no attributes.tenant; run the call inside budget.withContext({ attributes: { tenant } }, () => …), or give it in gate()'s context or a wrapped client's context option",
    ]);
  });

  it('warns for a recorded call too, and not for a call that names every scope', async () => {
    const { budget, seen } = warned();
    await budget.withContext({ userId: 'u-1', attributes: { tenant: 'acme' } }, () =>
      budget.recordUsage({
        provider: 'openai',
        model: 'gpt-4o-mini',
        usage: createUsage({ inputTokens: 10 }),
      }),
    );
    expect(seen()).toEqual([]);
    await budget.recordUsage({
      provider: 'openai',
      model: 'gpt-4o-mini',
      usage: createUsage({ inputTokens: 10 }),
    });
    expect(seen()).toEqual([
      ['TOLLGATE_MISSING_CONTEXT', 'per-user'],
      ['TOLLGATE_MISSING_CONTEXT', 'per-tenant'],
    ]);
  });

  it('is an error when strict, thrown before anything is held or written', async () => {
    const budget = createBudget({ budgets, clock, strict: true });
    await expect(budget.withContext({ userId: 'u-1' }, () => budget.gate(call))).rejects.toMatchObject({
      name: 'TollgateWarning',
      code: 'TOLLGATE_MISSING_CONTEXT',
      subject: 'per-tenant',
    });
    await expect(
      budget.recordUsage({
        provider: 'openai',
        model: 'gpt-4o-mini',
        usage: createUsage({ inputTokens: 10 }),
      }),
    ).rejects.toThrow(TollgateWarning);
    const statuses = await budget.status({ userId: 'u-1', attributes: { tenant: 'acme' } });
    expect(statuses.map((status) => [status.budgetId, status.usedNano, status.reservedNano])).toEqual([
      ['app', 0, 0],
      ['per-user', 0, 0],
      ['per-tenant', 0, 0],
    ]);
  });
});

describe('a call on a model or provider the catalog cannot price', () => {
  const app = [{ id: 'app', limitUsd: 30 }];

  it('warns once per model, suggesting the model meant, and charges the fallback price', async () => {
    const received: TollgateWarning[] = [];
    const budget = createBudget({ budgets: app, clock, onWarning: (warning) => received.push(warning) });
    const typo = { ...call, model: 'gpt-4o-mnii' };
    const admission = await budget.gate(typo);
    await budget.gate(typo);
    await budget.recordUsage({
      provider: 'openai',
      model: 'gpt-4o-mnii',
      usage: createUsage({ inputTokens: 1 }),
    });
    expect(admission.estimate.layer).toBe('service-fallback');
    expect(received.map((warning) => [warning.code, warning.subject, warning.message])).toEqual([
      [
        'TOLLGATE_UNPRICED_MODEL',
        'openai/gpt-4o-mnii',
        "model 'gpt-4o-mnii' of provider 'openai' has no price in the catalog (did you mean 'gpt-4o-mini'?): it is charged at the generic price of its service, which a premium model can exceed; set its price with createBudget({ prices })",
      ],
    ]);
  });

  it('warns once about a provider the catalog does not know, then about its model', async () => {
    const received: TollgateWarning[] = [];
    const budget = createBudget({ budgets: app, clock, onWarning: (warning) => received.push(warning) });
    await budget.gate({ ...call, provider: 'grok', model: 'grok-3' });
    await budget.gate({ ...call, provider: 'grok', model: 'grok-4' });
    await budget.gate({ ...call, provider: 'opneai', model: 'gpt-4o-mini' });
    expect(received.map((warning) => [warning.code, warning.subject])).toEqual([
      ['TOLLGATE_UNKNOWN_PROVIDER', 'grok'],
      ['TOLLGATE_UNPRICED_MODEL', 'grok/grok-3'],
      ['TOLLGATE_UNPRICED_MODEL', 'grok/grok-4'],
      ['TOLLGATE_UNKNOWN_PROVIDER', 'opneai'],
      ['TOLLGATE_UNPRICED_MODEL', 'opneai/gpt-4o-mini'],
    ]);
    expect(received[0]!.message).toBe(
      "provider 'grok' is not in the price catalog: its calls are charged at a fallback price; set its prices with createBudget({ prices })",
    );
    expect(received[3]!.message).toContain("(did you mean 'openai'?)");
  });

  it('says nothing for a priced model, a provider the bundled data knows, a local model or an app price', async () => {
    const received: TollgateWarning[] = [];
    const budget = createBudget({
      budgets: app,
      clock,
      prices: [{ provider: 'acme', model: 'house-model', prices: { inputPerMTok: 1, outputPerMTok: 2 } }],
      onWarning: (warning) => received.push(warning),
    });
    await budget.gate(call);
    await budget.gate({ ...call, provider: 'anthropic', model: 'claude-sonnet-4-5-20250929' });
    await budget.gate({ ...call, provider: 'ollama', model: 'llama3.2' });
    await budget.gate({ ...call, provider: 'acme', model: 'house-model' });
    expect(received).toEqual([]);
  });

  it('is an error when strict, before anything is held', async () => {
    const budget = createBudget({ budgets: app, clock, strict: true });
    await expect(budget.gate({ ...call, provider: 'grok', model: 'grok-3' })).rejects.toMatchObject({
      code: 'TOLLGATE_UNKNOWN_PROVIDER',
    });
    await expect(budget.gate({ ...call, model: 'gpt-4o-mnii' })).rejects.toMatchObject({
      code: 'TOLLGATE_UNPRICED_MODEL',
    });
    expect((await budget.status())[0]).toMatchObject({ usedNano: 0, reservedNano: 0 });
  });
});
