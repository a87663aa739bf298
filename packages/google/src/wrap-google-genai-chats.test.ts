import { BudgetExceededError } from '@tollgate/core';
import { describe, expect, it } from 'vitest';
import {
  endpoints,
  googleClient,
  MODEL,
  recordsOf,
  spent,
  testBudget,
  testEmulator,
} from './google-test-support';
import { wrapGoogleGenAI } from './wrap-google-genai';

const emulator = await testEmulator();

const GENERATE = 'models.generateContent';
const STREAM = 'models.streamGenerateContent';

describe('wrapGoogleGenAI: a chat (chats.create) sends through the gated models', () => {
  it('records every sendMessage from its usageMetadata, the history sent with it', async () => {
    const budget = testBudget();
    const ai = wrapGoogleGenAI(googleClient(emulator), budget, { requestType: 'chat' });
    const chat = ai.chats.create({ model: MODEL, config: { maxOutputTokens: 200 } });
    const first = await chat.sendMessage({ message: 'Which costs dominate a small bakery?' });
    const second = await chat.sendMessage({ message: 'And in its second year?' });

    expect(endpoints(emulator)).toEqual([GENERATE, GENERATE]);
    // The second request carries the first exchange: what the chat sends is what is billed.
    const sent = emulator.requests[1]!.body as { contents: unknown[] };
    expect(sent.contents).toHaveLength(3);
    const records = await recordsOf(budget);
    expect(records.map((record) => record.requestId)).toEqual([first.responseId, second.responseId]);
    for (const [index, response] of [first, second].entries()) {
      expect(records[index]).toMatchObject({
        provider: 'google',
        model: MODEL,
        requestType: 'chat',
        inputTokens: response.usageMetadata!.promptTokenCount,
        outputTokens: response.usageMetadata!.candidatesTokenCount,
        estimated: false,
      });
    }
    expect(records[1]!.inputTokens).toBeGreaterThan(records[0]!.inputTokens);
    expect(await spent(budget)).toEqual({ used: records[0]!.cost + records[1]!.cost, reserved: 0 });
  });

  it('records sendMessageStream once the stream ends', async () => {
    const budget = testBudget();
    const ai = wrapGoogleGenAI(googleClient(emulator), budget);
    const chat = ai.chats.create({ model: MODEL, config: { maxOutputTokens: 100 } });
    let text = '';
    for await (const chunk of await chat.sendMessageStream({ message: 'Tell me about lighthouses.' }))
      text += chunk.text ?? '';
    expect(text.length).toBeGreaterThan(0);
    expect(endpoints(emulator)).toEqual([STREAM]);
    const [record] = await recordsOf(budget);
    expect(record).toMatchObject({ provider: 'google', model: MODEL, estimated: false });
    expect(record!.outputTokens).toBeGreaterThan(0);
    expect(await spent(budget)).toEqual({ used: record!.cost, reserved: 0 });
  });

  it('refuses a message the budget cannot hold before anything is sent', async () => {
    const budget = testBudget(0.0001);
    const ai = wrapGoogleGenAI(googleClient(emulator), budget);
    const chat = ai.chats.create({ model: MODEL, config: { maxOutputTokens: 1_000 } });
    await expect(chat.sendMessage({ message: 'Write a long essay on bread.' })).rejects.toBeInstanceOf(
      BudgetExceededError,
    );
    expect(endpoints(emulator)).toEqual([]);
    expect(await spent(budget)).toEqual({ used: 0, reserved: 0 });
  });

  it('leaves a chat of the bare client ungated', async () => {
    const budget = testBudget();
    const bare = googleClient(emulator);
    wrapGoogleGenAI(bare, budget);
    await bare.chats.create({ model: MODEL }).sendMessage({ message: 'Hello.' });
    expect(endpoints(emulator)).toEqual([GENERATE]);
    expect(await recordsOf(budget)).toEqual([]);
  });
});
