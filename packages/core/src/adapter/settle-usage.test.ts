import { describe, expect, it } from 'vitest';
import { countTokens, createBudget, type TollgateWarning } from '../index';
import { resolveAdapterOptions } from './adapter-options';
import type { AdapterRuntime } from './adapter-runtime';
import { admitCall } from './admit-call';
import type { AdmittedCall } from './admitted-call';
import { StreamedOutput } from './streamed-output';
import { readUsageBlock, type UsageLimits } from './usage-block-reader';

const PROMPT = 'Summarize the quarterly budget report for the finance team, in three short bullet points.';
const OUTPUT = 'Spend is flat. Two vendors cost more. The buffer holds.';

/** OpenAI's chat usage mapping, as an adapter writes it. */
const convert = (block: unknown, limits?: UsageLimits) =>
  readUsageBlock(block, limits, (fields, read) => {
    const prompt = read.count(fields.prompt_tokens, 'prompt_tokens', { required: true });
    const details = read.details(fields.prompt_tokens_details, 'prompt_tokens_details');
    const cached = read.count(details.cached_tokens, 'prompt_tokens_details.cached_tokens');
    read.partOf(cached, 'prompt_tokens_details.cached_tokens', prompt, 'prompt_tokens');
    return {
      inputTokens: prompt - cached,
      cacheReadTokens: cached,
      outputTokens: read.count(fields.completion_tokens, 'completion_tokens', { required: true }),
    };
  });

async function admitted(budgetOptions: { strict?: boolean } = {}) {
  const warnings: TollgateWarning[] = [];
  const runtime: AdapterRuntime = {
    budget: createBudget({
      budgets: [{ id: 'test', limitUsd: 100, period: 'month' }],
      onWarning: (warning) => warnings.push(warning),
      ...budgetOptions,
    }),
    options: resolveAdapterOptions({}, { provider: 'openai', label: 'Fake' }),
  };
  const call = (await admitCall(
    runtime,
    () => ({ gate: { model: 'gpt-4o-mini', service: 'llm', text: PROMPT, maxOutputTokens: 50 } }),
    {},
    undefined,
    {},
  )) as AdmittedCall;
  const held = async () => (await runtime.budget.status())[0]!.reservedNano;
  return { call, warnings, held };
}

const promptTokens = countTokens(PROMPT, 'openai', 'gpt-4o-mini').tokens;
const outputTokens = countTokens(OUTPUT, 'openai', 'gpt-4o-mini').tokens;

describe('AdmittedCall.settleUsage', () => {
  it('settles from a block it can trust, as reported', async () => {
    const { call, warnings, held } = await admitted();
    const block = { prompt_tokens: 30, prompt_tokens_details: { cached_tokens: 10 }, completion_tokens: 12 };
    const { record } = await call.settleUsage(block, convert, { text: OUTPUT }, { responseId: 'chatcmpl-1' });
    expect(record).toMatchObject({
      requestId: 'chatcmpl-1',
      inputTokens: 30,
      cacheReadTokens: 10,
      outputTokens: 12,
    });
    expect(record.estimated).toBe(false);
    expect(warnings).toEqual([]);
    expect(await held()).toBe(0);
  });

  it.each([
    ['a count that is not a number', { prompt_tokens: 30, completion_tokens: 'abc' }],
    ['an array', [1, 2, 3]],
    ['a negative prompt', { prompt_tokens: -5000, completion_tokens: 10 }],
    ['a huge count', { prompt_tokens: 30, completion_tokens: 1e300 }],
    [
      'cached tokens above the prompt',
      { prompt_tokens: 30, prompt_tokens_details: { cached_tokens: 31 }, completion_tokens: 3 },
    ],
    ['fractional counts', { prompt_tokens: 30.5, completion_tokens: 3 }],
    ['a prompt beyond the model’s context window', { prompt_tokens: 128_001, completion_tokens: 3 }],
    ['no input at all', { prompt_tokens: 0, completion_tokens: 3 }],
    ['no usage', undefined],
  ])(
    'rebuilds the record from local counts for %s, marked estimated, and warns the budget',
    async (_name, block) => {
      const { call, warnings, held } = await admitted();
      const { record, cost } = await call.settleUsage(
        block,
        convert,
        { text: OUTPUT },
        { responseId: 'chatcmpl-1' },
      );
      expect(record).toMatchObject({ requestId: 'chatcmpl-1', estimated: true, outputTokens });
      expect(record.inputTokens).toBe(call.admission.estimate.likelyInputTokens);
      expect(record.inputTokens).toBeGreaterThanOrEqual(promptTokens);
      expect(cost.total).toBeGreaterThan(0);
      expect(await held()).toBe(0);
      expect(warnings.map((warning) => [warning.code, warning.subject])).toEqual([
        ['TOLLGATE_UNTRUSTED_USAGE', 'openai/gpt-4o-mini'],
      ]);
    },
  );

  it('keeps the untrusted block on the record, as JSON, for audit; a trusted one leaves none', async () => {
    const { call } = await admitted();
    const block = { prompt_tokens: 30, completion_tokens: Number.POSITIVE_INFINITY };
    const { record } = await call.settleUsage(block, convert, { text: OUTPUT });
    expect(record.rawUsage).toBe('{"prompt_tokens":30,"completion_tokens":"Infinity"}');
    expect(await call.runtime.budget.store.getRecord(record.requestId)).toMatchObject({
      rawUsage: record.rawUsage,
    });
    const trusted = await admitted();
    const settled = await trusted.call.settleUsage({ prompt_tokens: 30, completion_tokens: 3 }, convert, {
      text: OUTPUT,
    });
    expect(settled.record).not.toHaveProperty('rawUsage');
    const missing = await admitted();
    expect((await missing.call.settleUsage(undefined, convert, { text: OUTPUT })).record).not.toHaveProperty(
      'rawUsage',
    );
  });

  it('refuses a raw usage that is not a string of at most 1,024 characters at settle', async () => {
    const { call } = await admitted();
    const usage = call.admission.estimate.usage;
    await expect(call.admission.settle({ usage, rawUsage: 5 as never })).rejects.toMatchObject({
      field: 'rawUsage',
    });
    await expect(call.admission.settle({ usage, rawUsage: 'x'.repeat(1_025) })).rejects.toMatchObject({
      field: 'rawUsage',
    });
    expect(
      (await call.admission.settle({ usage, rawUsage: 'x'.repeat(1_024) })).record.rawUsage,
    ).toHaveLength(1_024);
  });

  it('caps the output counted locally at the limit the call was admitted with', async () => {
    const { call } = await admitted();
    const { record } = await call.settleUsage({ completion_tokens: -1 }, convert, {
      text: 'word '.repeat(500),
    });
    expect(record.outputTokens).toBe(50);
  });

  it('writes the record before a strict budget throws the warning', async () => {
    const { call, held } = await admitted({ strict: true });
    await expect(call.settleUsage([1, 2, 3], convert, { text: OUTPUT })).rejects.toMatchObject({
      name: 'TollgateWarning',
      code: 'TOLLGATE_UNTRUSTED_USAGE',
    });
    expect(await held()).toBe(0);
    expect(await call.runtime.budget.store.getRecord(call.admission.requestId)).toMatchObject({
      estimated: true,
    });
  });
});

describe('StreamedOutput', () => {
  const good = { prompt_tokens: 30, completion_tokens: 12 };

  it('settles from the last usage reported after the output', async () => {
    const { call, warnings } = await admitted();
    const output = new StreamedOutput(call);
    output.add(OUTPUT);
    output.report(good, convert);
    const { record } = await output.settle('completed');
    expect(record).toMatchObject({ inputTokens: 30, outputTokens: 12, estimated: false });
    expect(warnings).toEqual([]);
  });

  it.each([
    ['a malformed usage', [{ usage: { prompt_tokens: 30, completion_tokens: 'abc' } }, 'output']],
    ['a usage before the content', [{ usage: good }, 'output']],
    ['a usage that goes down', ['output', { usage: good }, { usage: { ...good, completion_tokens: 2 } }]],
    ['no usage in a stream that completed', ['output']],
  ] as const)(
    'rebuilds the record from what was streamed for %s, and warns the budget',
    async (_name, steps) => {
      const { call, warnings, held } = await admitted();
      const output = new StreamedOutput(call);
      for (const step of steps) {
        if (step === 'output') output.add(OUTPUT);
        else output.report(step.usage, convert);
      }
      const { record } = await output.settle('completed');
      expect(record).toMatchObject({ estimated: true, outputTokens });
      expect(record.inputTokens).toBeGreaterThanOrEqual(promptTokens);
      expect(await held()).toBe(0);
      expect(warnings.map((warning) => warning.code)).toEqual(['TOLLGATE_UNTRUSTED_USAGE']);
    },
  );

  it('does not warn about a stream that ended before it could report its usage', async () => {
    const { call, warnings } = await admitted();
    const output = new StreamedOutput(call);
    output.add(OUTPUT);
    const { record } = await output.settle('cancelled');
    expect(record).toMatchObject({ estimated: true, outputTokens });
    expect(warnings).toEqual([]);
  });
});
