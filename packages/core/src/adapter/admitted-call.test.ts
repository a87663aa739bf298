import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countTokens, createBudget, createUsage } from '../index';
import { resolveAdapterOptions } from './adapter-options';
import type { AdapterRuntime } from './adapter-runtime';
import { admitCall } from './admit-call';
import type { AdmittedCall } from './admitted-call';
import type { PlannedGate } from './call-plan';
import { StreamedOutput } from './streamed-output';

async function admitted(
  gate: Partial<PlannedGate> = {},
  runtime: Partial<AdapterRuntime> = {},
): Promise<AdmittedCall> {
  const full: AdapterRuntime = {
    budget: createBudget({ budgets: [{ id: 'test', limitUsd: 100, period: 'month' }] }),
    options: resolveAdapterOptions({}, { provider: 'openai', label: 'Fake' }),
    ...runtime,
  };
  const call = await admitCall(
    full,
    () => ({
      gate: { model: 'gpt-4o-mini', service: 'llm', text: 'Hello there', maxOutputTokens: 50, ...gate },
    }),
    {},
    undefined,
    {},
  );
  return call!;
}

describe('AdmittedCall.settle', () => {
  it('records under the response id and the served model when core and the catalog accept them', async () => {
    const call = await admitted();
    const { record } = await call.settle(createUsage({ inputTokens: 10, outputTokens: 5 }), {
      responseId: 'chatcmpl-abc',
      servedModel: 'gpt-4o',
    });
    expect(record).toMatchObject({
      requestId: 'chatcmpl-abc',
      model: 'gpt-4o-mini',
      servedModel: 'gpt-4o',
      catalogModel: 'gpt-4o',
      estimated: false,
    });
  });

  it('keeps the admission’s id and model for an odd id or an unknown served model', async () => {
    const call = await admitted();
    const { record } = await call.settle(createUsage({ inputTokens: 10 }), {
      responseId: '$where',
      servedModel: 'made-up-model',
    });
    expect(record.requestId).toBe(call.admission.requestId);
    expect(record.model).toBe('gpt-4o-mini');
    expect(record.servedModel).toBeUndefined();
  });

  it('keeps the admission’s id for a provider whose response ids repeat', async () => {
    const call = await admitted({}, { uniqueResponseIds: false });
    const { record } = await call.settle(createUsage({ inputTokens: 10 }), { responseId: 'chatcmpl-123' });
    expect(record.requestId).toBe(call.admission.requestId);
  });
});

describe('AdmittedCall.settleFromOutput', () => {
  it('is the gate’s input plus the output received, never above the admitted output, and never free', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 400 }),
        fc.integer({ min: 1, max: 60 }),
        fc.nat(80),
        async (text, limit, pieces) => {
          const call = await admitted({ maxOutputTokens: limit });
          const { record } = await call.settleFromOutput({ text, minimumTokens: pieces });
          const counted = text.length === 0 ? 0 : countTokens(text, 'openai', 'gpt-4o-mini').tokens;
          expect(record.outputTokens).toBe(Math.min(Math.max(counted, pieces), limit));
          expect(record.inputTokens).toBe(call.admission.estimate.likelyInputTokens);
          expect(record.estimated).toBe(true);
          expect(record.cost).toBeGreaterThan(0);
          expect(record.cost).toBeLessThanOrEqual(record.reserved);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('settles a call with no text and no output at one input token at least', async () => {
    const call = await admitted({
      service: 'embedding',
      model: 'text-embedding-3-small',
      text: [],
      maxOutputTokens: undefined,
    });
    const { record } = await call.settleFromOutput({ text: '' });
    expect(record.inputTokens).toBe(1);
  });
});

describe('StreamedOutput', () => {
  it('settles from the last usage reported, else from the text it kept, a token a piece at least', async () => {
    const reported = new StreamedOutput(await admitted());
    reported.identify('chatcmpl-1', 'gpt-4o-mini');
    reported.identify('chatcmpl-2', 'other');
    reported.usage = createUsage({ inputTokens: 7, outputTokens: 3 });
    expect((await reported.settle()).record).toMatchObject({
      requestId: 'chatcmpl-1',
      outputTokens: 3,
      estimated: false,
    });

    const cut = new StreamedOutput(await admitted());
    for (const piece of ['a', '', 'b', null, 'c']) cut.add(piece);
    expect((await cut.settle()).record).toMatchObject({ outputTokens: 3, estimated: true });
  });
});
