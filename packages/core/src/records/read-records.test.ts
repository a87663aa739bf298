import { describe, expect, it } from 'vitest';
import { createBudget } from '../budget/budget-manager';
import { ValidationError } from '../errors/validation-error';
import { MemoryStore } from '../store/memory-store';
import type { UsageRecord } from '../store/store-contract';
import { createUsage } from '../usage';
import { encodeRecordCursor } from './record-cursor';

const T0 = Date.UTC(2026, 11, 20, 10, 0, 0);

async function budgetWithCalls() {
  let now = T0;
  const budget = createBudget({
    store: new MemoryStore(),
    budgets: [{ id: 'app', limitUsd: 100 }],
    clock: () => now,
  });
  const calls: [string, string, string | undefined][] = [
    ['anthropic', 'claude-3-5-haiku-20241022', 'u-1'],
    ['openai', 'gpt-4o-2024-08-06', 'u-2'],
    ['openai', 'gpt-4o', 'u-1'],
    ['openai', 'gpt-4o-mini', undefined],
    ['mistral', 'no-such-model', 'u-3'],
  ];
  for (const [index, [provider, model, userId]] of calls.entries()) {
    now = T0 + index * 1_000;
    await budget.recordUsage({
      provider,
      model,
      requestId: `call-${index}`,
      usage: { inputTokens: 1_000, outputTokens: 100 },
      ...(userId === undefined ? {} : { context: { userId } }),
    });
  }
  return budget;
}

async function allPages(budget: ReturnType<typeof createBudget>, limit: number): Promise<UsageRecord[][]> {
  const pages: UsageRecord[][] = [];
  let after: string | undefined;
  do {
    const page = await budget.records({ limit, ...(after === undefined ? {} : { after }) });
    pages.push([...page.records]);
    after = page.next;
  } while (after !== undefined);
  return pages;
}

describe('records as called', () => {
  it('keep the model as called and, separately, the catalog id they were priced with', async () => {
    const budget = await budgetWithCalls();
    const { records } = await budget.records();
    expect(records.map((record) => [record.model, record.catalogModel, record.priceSource])).toEqual([
      ['claude-3-5-haiku-20241022', 'claude-3-5-haiku-latest', 'genai-prices'],
      ['gpt-4o-2024-08-06', 'gpt-4o', 'genai-prices'],
      ['gpt-4o', 'gpt-4o', 'genai-prices'],
      ['gpt-4o-mini', 'gpt-4o-mini', 'genai-prices'],
      ['no-such-model', 'no-such-model', 'service-fallback'],
    ]);
  });

  it('keep the served model beside the called one, and are priced as served', async () => {
    const budget = createBudget({ store: new MemoryStore(), clock: () => T0 });
    const admission = await budget.gate({
      provider: 'openai',
      model: 'gpt-4o',
      inputTokens: 1_000,
      maxOutputTokens: 100,
    });
    const { record, cost } = await admission.settle({
      usage: createUsage({ inputTokens: 1_000, outputTokens: 100 }),
      model: 'gpt-4o-mini-2024-07-18',
    });
    expect(record).toMatchObject({
      model: 'gpt-4o',
      servedModel: 'gpt-4o-mini-2024-07-18',
      catalogModel: 'gpt-4o-mini',
    });
    // gpt-4o-mini: $0.15 input and $0.60 output per million tokens.
    expect(cost.total).toBe(1_000 * 150 + 100 * 600);
    const recorded = await budget.recordUsage({
      provider: 'openai',
      model: 'gpt-4o',
      servedModel: 'gpt-4o-2024-08-06',
      usage: { inputTokens: 10 },
    });
    expect(recorded.record).toMatchObject({
      model: 'gpt-4o',
      servedModel: 'gpt-4o-2024-08-06',
      catalogModel: 'gpt-4o',
    });
  });

  it('are grouped by the model as called, with the catalog id as another dimension', async () => {
    const budget = await budgetWithCalls();
    const byModel = await budget.breakdown({ by: ['model'], days: 1 });
    expect(byModel.groups.map((group) => group.key.model).sort()).toEqual([
      'claude-3-5-haiku-20241022',
      'gpt-4o',
      'gpt-4o-2024-08-06',
      'gpt-4o-mini',
      'no-such-model',
    ]);
    const byCatalog = await budget.breakdown({ by: ['catalogModel'], days: 1 });
    const gpt4o = byCatalog.groups.find((group) => group.key.catalogModel === 'gpt-4o');
    expect(gpt4o?.measures.requests).toBe(2);
    const filtered = await budget.breakdown({ by: ['model'], days: 1, where: { catalogModel: 'gpt-4o' } });
    expect(filtered.groups.map((group) => group.key.model).sort()).toEqual(['gpt-4o', 'gpt-4o-2024-08-06']);
  });
});

describe('budget.records', () => {
  it('pages through every record once, in time order, with a cursor', async () => {
    const budget = await budgetWithCalls();
    const pages = await allPages(budget, 2);
    expect(pages.map((page) => page.map((record) => record.requestId))).toEqual([
      ['call-0', 'call-1'],
      ['call-2', 'call-3'],
      ['call-4'],
    ]);
    expect((await allPages(budget, 5)).map((page) => page.length)).toEqual([5]);
  });

  it('reads a time range (from inclusive, to exclusive) and exact filters', async () => {
    const budget = await budgetWithCalls();
    const ids = async (options: Parameters<typeof budget.records>[0]) =>
      (await budget.records(options)).records.map((record) => record.requestId);
    expect(await ids({ from: T0 + 1_000, to: new Date(T0 + 3_000) })).toEqual(['call-1', 'call-2']);
    expect(await ids({ where: { userId: 'u-1' } })).toEqual(['call-0', 'call-2']);
    expect(await ids({ where: { provider: 'openai', catalogModel: 'gpt-4o' } })).toEqual([
      'call-1',
      'call-2',
    ]);
    expect(await ids({ from: T0 + 10_000 })).toEqual([]);
  });

  it('refuses bad options with a typed error that names the field', async () => {
    const budget = await budgetWithCalls();
    const refusals: [unknown, string][] = [
      [null, 'options'],
      [{ limit: 0 }, 'limit'],
      [{ limit: 1_001 }, 'limit'],
      [{ limit: 2.5 }, 'limit'],
      [{ from: 'yesterday' }, 'from'],
      [{ from: new Date(Number.NaN) }, 'from'],
      [{ from: T0 + 1, to: T0 }, 'from'],
      [{ to: -1 }, 'to'],
      [{ after: 'not-a-cursor' }, 'after'],
      [{ after: { timestamp: T0, requestId: 'x' } }, 'after'],
      [{ after: Buffer.from('[1,{"$gt":""}]').toString('base64url') }, 'after'],
      [{ where: { userId: { $ne: '' } } }, 'where.userId'],
      [{ where: { user: 'u-1' } }, 'where.user'],
      [{ where: { day: '2026-12-20' } }, 'where.day'],
      [{ form: T0 }, 'options.form'],
    ];
    for (const [options, field] of refusals) {
      const error = await budget.records(options as never).catch((caught: unknown) => caught);
      expect(ValidationError.isInstance(error), `${JSON.stringify(options)}: ${String(error)}`).toBe(true);
      expect((error as ValidationError).field).toBe(field);
    }
    const typo = await budget.records({ limt: 10 } as never).catch((caught: unknown) => caught);
    expect(String((typo as Error).message)).toContain("did you mean 'limit'?");
    // A cursor that decodes to a valid position is accepted, whoever wrote it.
    const page = await budget.records({
      after: encodeRecordCursor({ timestamp: T0 + 2_000, requestId: 'call-2' }),
    });
    expect(page.records.map((record) => record.requestId)).toEqual(['call-3', 'call-4']);
  });
});
