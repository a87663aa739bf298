import { describe, expect, it } from 'vitest';
import {
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

const request = (config: Record<string, unknown> = {}) => ({
  model: MODEL,
  contents: 'Tell me about the lighthouse keepers of the northern coast.',
  config: { maxOutputTokens: 100, ...config },
});

describe('wrapGoogleGenAI: models.generateContentStream', () => {
  it('read to the end: settled once from the last chunk’s usageMetadata, with the same chunks', async () => {
    const budget = testBudget();
    const ai = wrapGoogleGenAI(googleClient(emulator, { 'x-emulator-output-tokens': '12' }), budget);
    const stream = await ai.models.generateContentStream(request());
    let text = '';
    let last: { usageMetadata?: { promptTokenCount?: number } } | undefined;
    for await (const chunk of stream) {
      text += chunk.text ?? '';
      last = chunk;
    }
    expect(text.split(' ')).toHaveLength(12);
    const prompt = last!.usageMetadata!.promptTokenCount!;
    const records = await recordsOf(budget);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ estimated: false, outputTokens: 12, inputTokens: prompt });
    expect(records[0]!.cost).toBe(
      nanoUsd(prompt, GEMINI_2_5_FLASH.input) + nanoUsd(12, GEMINI_2_5_FLASH.output),
    );
    expect(await spent(budget)).toEqual({ used: records[0]!.cost, reserved: 0 });
  });

  it('broken off by the caller: settled at once from the text received, never above the limit', async () => {
    const budget = testBudget();
    const ai = wrapGoogleGenAI(googleClient(emulator, { 'x-emulator-output-tokens': '60' }), budget);
    const stream = await ai.models.generateContentStream(request());
    let chunks = 0;
    for await (const _chunk of stream) {
      chunks += 1;
      if (chunks === 3) break;
    }
    const records = await recordsOf(budget);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ estimated: true });
    expect(records[0]!.outputTokens).toBeGreaterThan(0);
    expect(records[0]!.outputTokens).toBeLessThanOrEqual(100);
    expect((await spent(budget)).reserved).toBe(0);
  });

  it('aborted with config.abortSignal: settled once, the hold given back', async () => {
    const budget = testBudget();
    const ai = wrapGoogleGenAI(
      googleClient(emulator, { 'x-emulator-output-tokens': '60', 'x-emulator-stall-after-chunks': '2' }),
      budget,
    );
    const controller = new AbortController();
    const stream = await ai.models.generateContentStream(request({ abortSignal: controller.signal }));
    let chunks = 0;
    const failure = await (async () => {
      for await (const _chunk of stream) {
        chunks += 1;
        if (chunks === 2) controller.abort();
      }
    })().then(
      () => undefined,
      (error: unknown) => error,
    );
    const records = await recordsOf(budget);
    expect(records).toHaveLength(1);
    expect(records[0]!.estimated).toBe(true);
    expect(records[0]!.cost).toBeGreaterThan(0);
    expect((await spent(budget)).reserved).toBe(0);
    // Whether the SDK reports the abort or ends the stream, the settlement is the same one.
    expect(failure === undefined || failure instanceof Error).toBe(true);
  });

  it('server error mid-stream (connection dropped before the usage): the caller gets the error, the call is settled from its text', async () => {
    const budget = testBudget();
    const ai = wrapGoogleGenAI(
      googleClient(emulator, { 'x-emulator-output-tokens': '30', 'x-emulator-drop-after-chunks': '5' }),
      budget,
    );
    const stream = await ai.models.generateContentStream(request());
    let chunks = 0;
    const failure = await (async () => {
      for await (const _chunk of stream) chunks += 1;
    })().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(chunks).toBe(5);
    const records = await recordsOf(budget);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ estimated: true });
    expect(records[0]!.outputTokens).toBeGreaterThanOrEqual(5);
    expect((await spent(budget)).reserved).toBe(0);
  });

  it('an injected error before the stream: rejected with the SDK error, nothing recorded', async () => {
    const budget = testBudget();
    const ai = wrapGoogleGenAI(googleClient(emulator, { 'x-emulator-error-status': '429' }), budget);
    await expect(ai.models.generateContentStream(request())).rejects.toThrow(/429|RESOURCE_EXHAUSTED/);
    expect(await recordsOf(budget)).toEqual([]);
    expect(await spent(budget)).toEqual({ used: 0, reserved: 0 });
  });

  it('a stream that completed without any usage is settled from its text, estimated', async () => {
    const budget = testBudget(100, { onWarning: () => {} });
    const ai = wrapGoogleGenAI(googleClient(emulator, { 'x-emulator-omit-usage': 'true' }), budget);
    const stream = await ai.models.generateContentStream(request());
    for await (const _chunk of stream) {
      // read to the end
    }
    const records = await recordsOf(budget);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ estimated: true });
    expect(records[0]!.cost).toBeGreaterThan(0);
  });

  it('a usage sent before the content cannot count it: the final usage settles the call', async () => {
    const budget = testBudget();
    const ai = wrapGoogleGenAI(
      googleClient(emulator, { 'x-emulator-early-usage-json': '{"promptTokenCount":5,"totalTokenCount":5}' }),
      budget,
    );
    const stream = await ai.models.generateContentStream(request());
    for await (const _chunk of stream) {
      // read to the end
    }
    const [record] = await recordsOf(budget);
    expect(record).toMatchObject({ estimated: false, outputTokens: 64 });
  });
});
