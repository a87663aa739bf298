import { BudgetExceededError } from '@tollgate/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
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
  'My invoice for November lists two seats, but our team removed one of them on the third of the month. ' +
  'Could you explain how the proration works, whether the removed seat is still billed for the whole month, ' +
  'and what I should do to get a corrected invoice before our accounting closes the quarter next week?';
const OUTPUT = 2_000;
const params = { model: MODEL, contents: QUESTION, config: { maxOutputTokens: OUTPUT } };
const COUNT = 'models.countTokens';
const GENERATE = 'models.generateContent';

const worstCaseWith = (promptTokens: number, outputTokens = OUTPUT) =>
  nanoUsd(promptTokens, GEMINI_2_5_FLASH.input) + nanoUsd(outputTokens, GEMINI_2_5_FLASH.output);
const boundWorstCase = worstCaseWith(boundTokens(QUESTION));

let exactTokens: number;
beforeAll(async () => {
  exactTokens = (await googleClient(emulator).models.countTokens({ model: MODEL, contents: QUESTION }))
    .totalTokens!;
});

/** A budget the bound's worst case does not fit and the exact one does. */
const nearLimitBudget = () => testBudget((worstCaseWith(exactTokens) + boundWorstCase) / 2 / 1e9);

describe("estimateWith: 'auto' (the default)", () => {
  it('the prompt of this file is one whose bound is far above its exact count', () => {
    expect(boundTokens(QUESTION)).toBeGreaterThan(3 * exactTokens);
  });

  it('holds the bound and asks for no count when the call fits comfortably', async () => {
    const budget = testBudget(10);
    await wrapGoogleGenAI(googleClient(emulator), budget).models.generateContent(params);
    expect(endpoints(emulator)).toEqual([GENERATE]);
    const [record] = await recordsOf(budget);
    expect(record!.reserved).toBe(boundWorstCase);
  });

  it('near the limit, asks countTokens once and admits the call the bound would refuse', async () => {
    const budget = nearLimitBudget();
    await wrapGoogleGenAI(googleClient(emulator), budget).models.generateContent(params);
    expect(endpoints(emulator)).toEqual([COUNT, GENERATE]);
    const [record] = await recordsOf(budget);
    expect(record!.reserved).toBe(worstCaseWith(exactTokens));
  });

  it('the same for a stream', async () => {
    const budget = nearLimitBudget();
    const stream = await wrapGoogleGenAI(googleClient(emulator), budget).models.generateContentStream(params);
    for await (const _chunk of stream) {
      // read to the end
    }
    expect(endpoints(emulator)).toEqual([COUNT, 'models.streamGenerateContent']);
    expect((await spent(budget)).reserved).toBe(0);
  });

  it('asks for no count when the call would not fit even with an empty prompt', async () => {
    const budget = testBudget(worstCaseWith(0) / 2 / 1e9);
    const ai = wrapGoogleGenAI(googleClient(emulator), budget);
    await expect(ai.models.generateContent(params)).rejects.toBeInstanceOf(BudgetExceededError);
    expect(endpoints(emulator)).toEqual([]);
  });

  it("a count that fails leaves the bound's refusal, and nothing is generated", async () => {
    emulator.faults.error = { status: 500, endpoint: COUNT };
    const budget = nearLimitBudget();
    const ai = wrapGoogleGenAI(googleClient(emulator), budget);
    await expect(ai.models.generateContent(params)).rejects.toBeInstanceOf(BudgetExceededError);
    expect(endpoints(emulator)).toEqual([COUNT]);
    expect(await spent(budget)).toEqual({ used: 0, reserved: 0 });
  });

  it("a count that never answers is given up after countTimeoutMs: the bound's refusal", async () => {
    emulator.faults.stall = { endpoint: COUNT };
    const budget = nearLimitBudget();
    const ai = wrapGoogleGenAI(googleClient(emulator), budget, { countTimeoutMs: 100 });
    await expect(ai.models.generateContent(params)).rejects.toBeInstanceOf(BudgetExceededError);
    expect(endpoints(emulator)).toEqual([COUNT]);
  });

  it('counts contents only at the endpoint, and holds the system instruction at its bound', async () => {
    const instruction = 'You are the billing assistant of a small software company.';
    const budget = testBudget(10);
    const ai = wrapGoogleGenAI(googleClient(emulator), budget, { estimateWith: 'countTokens' });
    await ai.models.generateContent({
      ...params,
      config: { ...params.config, systemInstruction: instruction },
    });
    const count = emulator.requests.find((request) => request.endpoint === COUNT)!;
    expect(Object.keys(count.body as object)).toEqual(['contents']);
    const [record] = await recordsOf(budget);
    expect(record!.reserved).toBe(worstCaseWith(exactTokens + boundTokens(instruction)));
  });
});

describe("estimateWith: 'countTokens' and 'bound'", () => {
  it("'countTokens' counts before every call", async () => {
    const budget = testBudget(10);
    const ai = wrapGoogleGenAI(googleClient(emulator), budget, { estimateWith: 'countTokens' });
    await ai.models.generateContent(params);
    await ai.models.generateContent(params);
    expect(endpoints(emulator)).toEqual([COUNT, GENERATE, COUNT, GENERATE]);
  });

  it("'bound' never counts, and refuses near the limit", async () => {
    const budget = nearLimitBudget();
    const ai = wrapGoogleGenAI(googleClient(emulator), budget, { estimateWith: 'bound' });
    await expect(ai.models.generateContent(params)).rejects.toBeInstanceOf(BudgetExceededError);
    expect(endpoints(emulator)).toEqual([]);
  });
});
