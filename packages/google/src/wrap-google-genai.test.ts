import { GoogleGenAI } from '@google/genai';
import Anthropic from '@anthropic-ai/sdk';
import { BudgetExceededError, type TollgateWarning, ValidationError } from '@tollgate/core';
import { describe, expect, it } from 'vitest';
import {
  API_KEY,
  boundTokens,
  endpoints,
  GEMINI_2_5_FLASH,
  googleClient,
  MODEL,
  nanoUsd,
  recordsOf,
  spent,
  testBudget,
  testEmulator,
} from './google-test-support';
import { wrapGoogleGenAI } from './wrap-google-genai';

const emulator = await testEmulator();

const QUESTION =
  'Which three costs dominate a small bakery in its first year, and how should it plan for them?';

describe('wrapGoogleGenAI: models.generateContent', () => {
  it('records the call from usageMetadata: cached tokens at the cache rate, thoughts as output', async () => {
    const budget = testBudget();
    const ai = wrapGoogleGenAI(
      googleClient(emulator, { 'x-emulator-cached-tokens': '40', 'x-emulator-reasoning-tokens': '25' }),
      budget,
    );
    const response = await ai.models.generateContent({
      model: MODEL,
      contents: QUESTION,
      config: { maxOutputTokens: 200, systemInstruction: 'Answer briefly.' },
    });
    expect(response).toBeInstanceOf(Object);
    expect(response.usageMetadata?.cachedContentTokenCount).toBe(40);
    const promptTokenCount = response.usageMetadata!.promptTokenCount!;
    const [record] = await recordsOf(budget);
    expect(record).toMatchObject({
      requestId: response.responseId,
      provider: 'google',
      model: MODEL,
      service: 'llm',
      cacheReadTokens: 40,
      outputTokens: 64 + 25,
      reasoningTokens: 25,
      estimated: false,
    });
    expect(record!.cost).toBe(
      nanoUsd(promptTokenCount - 40, GEMINI_2_5_FLASH.input) +
        nanoUsd(40, GEMINI_2_5_FLASH.cacheRead) +
        nanoUsd(64 + 25, GEMINI_2_5_FLASH.output),
    );
    expect(await spent(budget)).toEqual({ used: record!.cost, reserved: 0 });
    expect(JSON.stringify(record)).not.toContain(API_KEY);
  });

  it('holds the prompt bound and maxOutputTokens before the call', async () => {
    const budget = testBudget();
    const ai = wrapGoogleGenAI(googleClient(emulator), budget, { estimateWith: 'bound' });
    const estimate = await budget.estimate({
      provider: 'google',
      model: MODEL,
      service: 'llm',
      text: [QUESTION],
      overheadTokens: 0,
      maxOutputTokens: 300,
    });
    await ai.models.generateContent({ model: MODEL, contents: QUESTION, config: { maxOutputTokens: 300 } });
    const [record] = await recordsOf(budget);
    expect(record!.reserved).toBe(estimate.costNano);
    expect(estimate.costNano).toBe(
      nanoUsd(boundTokens(QUESTION), GEMINI_2_5_FLASH.input) + nanoUsd(300, GEMINI_2_5_FLASH.output),
    );
  });

  it('refuses with BudgetExceededError before anything is sent', async () => {
    const budget = testBudget(0.0001);
    const ai = wrapGoogleGenAI(googleClient(emulator), budget);
    const failure = ai.models.generateContent({
      model: MODEL,
      contents: QUESTION,
      config: { maxOutputTokens: 1_000 },
    });
    await expect(failure).rejects.toBeInstanceOf(BudgetExceededError);
    expect(endpoints(emulator).filter((endpoint) => endpoint === 'models.generateContent')).toEqual([]);
    expect(await spent(budget)).toEqual({ used: 0, reserved: 0 });
  });

  it("clamps config.maxOutputTokens to what the budget affords with onInsufficientBudget: 'clamp'", async () => {
    // Room for the prompt's bound and about 100 output tokens.
    const limitNano =
      nanoUsd(boundTokens(QUESTION), GEMINI_2_5_FLASH.input) + nanoUsd(100, GEMINI_2_5_FLASH.output);
    const budget = testBudget(limitNano / 1e9);
    const ai = wrapGoogleGenAI(googleClient(emulator), budget, {
      onInsufficientBudget: 'clamp',
      estimateWith: 'bound',
    });
    const config = { maxOutputTokens: 5_000, temperature: 0.2 };
    await ai.models.generateContent({ model: MODEL, contents: QUESTION, config });
    const sent = emulator.requests.find((request) => request.endpoint === 'models.generateContent')!;
    const generationConfig = (
      sent.body as { generationConfig: { maxOutputTokens: number; temperature: number } }
    ).generationConfig;
    expect(generationConfig.maxOutputTokens).toBeGreaterThanOrEqual(16);
    expect(generationConfig.maxOutputTokens).toBeLessThanOrEqual(100);
    expect(generationConfig.temperature).toBe(0.2);
    // The caller's request is not changed.
    expect(config.maxOutputTokens).toBe(5_000);
    const { used, reserved } = await spent(budget);
    expect(reserved).toBe(0);
    expect(used).toBeLessThanOrEqual(limitNano);
  });

  it('gives the hold back and passes the SDK error on when the API fails', async () => {
    const budget = testBudget();
    const ai = wrapGoogleGenAI(googleClient(emulator, { 'x-emulator-error-status': '503' }), budget);
    const failure = await ai.models.generateContent({ model: MODEL, contents: QUESTION }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(String((failure as Error).message)).toContain('503');
    expect(await spent(budget)).toEqual({ used: 0, reserved: 0 });
    expect(await recordsOf(budget)).toEqual([]);
  });

  it('records an untrusted usageMetadata as estimated, from the text received, and warns', async () => {
    const warnings: string[] = [];
    const budget = testBudget(100, { onWarning: (warning) => warnings.push(warning.code) });
    const ai = wrapGoogleGenAI(
      googleClient(emulator, { 'x-emulator-usage-json': '{"promptTokenCount":-5,"candidatesTokenCount":3}' }),
      budget,
    );
    await ai.models.generateContent({ model: MODEL, contents: QUESTION, config: { maxOutputTokens: 50 } });
    const [record] = await recordsOf(budget);
    expect(record).toMatchObject({ estimated: true });
    expect(record!.cost).toBeGreaterThan(0);
    expect(record!.rawUsage).toContain('-5');
    expect(warnings).toContain('TOLLGATE_UNTRUSTED_USAGE');
  });

  it('accepts a model named models/{id} and prices it as the id', async () => {
    const budget = testBudget();
    const ai = wrapGoogleGenAI(googleClient(emulator), budget);
    await ai.models.generateContent({ model: `models/${MODEL}`, contents: QUESTION });
    const [record] = await recordsOf(budget);
    expect(record).toMatchObject({ model: MODEL, catalogModel: MODEL, priceSource: 'genai-prices' });
  });

  it('passes other methods through untouched', async () => {
    const budget = testBudget();
    const ai = wrapGoogleGenAI(googleClient(emulator), budget);
    const counted = await ai.models.countTokens({ model: MODEL, contents: QUESTION });
    expect(counted.totalTokens).toBeGreaterThan(0);
    expect(await recordsOf(budget)).toEqual([]);
  });
});

describe('wrapGoogleGenAI: models.embedContent', () => {
  it('records the usageMetadata the API reports', async () => {
    const budget = testBudget();
    const ai = wrapGoogleGenAI(googleClient(emulator), budget);
    const result = await ai.models.embedContent({
      model: 'gemini-embedding-001',
      contents: ['first input', 'second'],
    });
    expect(result.embeddings).toHaveLength(2);
    const [record] = await recordsOf(budget);
    // ceil(11 / 4) + ceil(6 / 4) tokens at $0.15 per million.
    expect(record).toMatchObject({
      service: 'embedding',
      inputTokens: 5,
      estimated: false,
      cost: nanoUsd(5, 0.15),
    });
  });

  it('records a response without usage from the texts, marked estimated, never at $0, and says why', async () => {
    const warnings: TollgateWarning[] = [];
    const budget = testBudget(100, { onWarning: (warning) => warnings.push(warning) });
    const ai = wrapGoogleGenAI(googleClient(emulator, { 'x-emulator-omit-usage': 'true' }), budget);
    const contents = ['hello embeddings', 'a second text to embed'];
    await ai.models.embedContent({ model: 'gemini-embedding-001', contents });
    const [record] = await recordsOf(budget);
    expect(record).toMatchObject({ service: 'embedding', estimated: true });
    expect(record!.cost).toBeGreaterThan(0);
    // The likely count of the texts, not the gate's upper bound.
    const estimate = budget.estimate({
      provider: 'google',
      model: 'gemini-embedding-001',
      service: 'embedding',
      text: contents,
    });
    expect(record!.inputTokens).toBe(estimate.likelyInputTokens);
    expect(record!.inputTokens).toBeLessThan(estimate.inputTokens);
    expect(warnings.map((warning) => warning.code)).toEqual(['TOLLGATE_UNTRUSTED_USAGE']);
    expect(warnings[0]!.message).toContain('no usageMetadata');
  });
});

describe('wrapGoogleGenAI: what it wraps and its options', () => {
  it('refuses a client of another SDK, naming the right wrapper', () => {
    const budget = testBudget();
    const anthropic = new Anthropic({ apiKey: 'x', baseURL: emulator.anthropicBaseURL });
    expect(() => wrapGoogleGenAI(anthropic as never, budget)).toThrow(ValidationError);
    expect(() => wrapGoogleGenAI(anthropic as never, budget)).toThrow(/wrapAnthropic/);
    expect(() => wrapGoogleGenAI({ models: {} }, budget)).toThrow(/GoogleGenAI client/);
  });

  it('refuses an unknown option with a suggestion, and a bad estimateWith', () => {
    const budget = testBudget();
    const ai = new GoogleGenAI({ apiKey: API_KEY });
    expect(() => wrapGoogleGenAI(ai, budget, { estimatewith: 'bound' } as never)).toThrow(
      /did you mean 'estimateWith'/,
    );
    expect(() => wrapGoogleGenAI(ai, budget, { estimateWith: 'exact' as never })).toThrow(ValidationError);
  });
});
