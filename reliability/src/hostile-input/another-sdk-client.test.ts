import Anthropic from '@anthropic-ai/sdk';
import { Mistral } from '@mistralai/mistralai';
import { wrapAnthropic } from '@tollgate/anthropic';
import { createBudget, MemoryStore, ValidationError } from '@tollgate/core';
import { type Emulator, startEmulator } from '@tollgate/emulator';
import { wrapMistral } from '@tollgate/mistral';
import { wrapOpenAI } from '@tollgate/openai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A client of another SDK handed to a wrapper used to be accepted, and its calls then went
// through unrecorded: each wrapper now refuses it when wrapping, naming what it got.
const API_KEY = 'sk-another-sdk-client-test';
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator?.close();
});

const clients = () => ({
  openai: new OpenAI({ apiKey: API_KEY, baseURL: emulator.openaiBaseURL, maxRetries: 0 }),
  anthropic: new Anthropic({ apiKey: API_KEY, baseURL: emulator.anthropicBaseURL, maxRetries: 0 }),
  mistral: new Mistral({
    apiKey: API_KEY,
    serverURL: emulator.mistralServerURL,
    retryConfig: { strategy: 'none' },
  }),
});

function refusal(wrap: () => unknown): ValidationError {
  try {
    wrap();
  } catch (error) {
    if (ValidationError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('the wrapper accepted a client of another SDK');
}

describe('a client of another SDK', () => {
  const budget = createBudget({ store: new MemoryStore(), budgets: [{ id: 'app', limitUsd: 10 }] });

  it('wrapOpenAI(mistralClient) is refused, naming the Mistral client', () => {
    const error = refusal(() => wrapOpenAI(clients().mistral as never, budget));
    expect(error.field).toBe('client');
    expect(error.message).toBe(
      "Invalid client: must be an OpenAI client (from 'openai'), got a Mistral client (from '@mistralai/mistralai'): wrap it with wrapMistral",
    );
  });

  it('wrapMistral(openaiClient) is refused, naming the OpenAI client', () => {
    expect(refusal(() => wrapMistral(clients().openai as never, budget)).message).toBe(
      "Invalid client: must be a Mistral client (from '@mistralai/mistralai'), got an OpenAI client (from 'openai'): wrap it with wrapOpenAI",
    );
  });

  it('wrapAnthropic(openaiClient) and wrapAnthropic(mistralClient) are refused, naming what they got', () => {
    expect(refusal(() => wrapAnthropic(clients().openai as never, budget)).message).toBe(
      "Invalid client: must be an Anthropic client (from '@anthropic-ai/sdk'), got an OpenAI client (from 'openai'): wrap it with wrapOpenAI",
    );
    expect(refusal(() => wrapAnthropic(clients().mistral as never, budget)).message).toContain(
      'got a Mistral client',
    );
    expect(refusal(() => wrapOpenAI(clients().anthropic as never, budget)).message).toContain(
      'got an Anthropic client',
    );
    expect(refusal(() => wrapMistral(clients().anthropic as never, budget)).message).toContain(
      'got an Anthropic client',
    );
  });

  it('names a value that is no client at all', () => {
    expect(refusal(() => wrapOpenAI({ chat: {} } as never, budget)).message).toBe(
      "Invalid client: must be an OpenAI client (from 'openai'), got a plain object, which is not a client of any SDK tollgate wraps",
    );
    expect(refusal(() => wrapMistral(new Map() as never, budget)).message).toContain(
      'got an object of class Map',
    );
  });

  it('each SDK’s own client is still wrapped, and its calls recorded', async () => {
    const recording = createBudget({ store: new MemoryStore(), budgets: [{ id: 'app', limitUsd: 10 }] });
    const { openai, anthropic, mistral } = clients();
    await wrapOpenAI(openai, recording).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 20,
    });
    await wrapAnthropic(anthropic, recording).messages.create({
      model: 'claude-sonnet-4-5-20250929',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 20,
    });
    await wrapMistral(mistral, recording).chat.complete({
      model: 'mistral-small-latest',
      messages: [{ role: 'user', content: 'hi' }],
      maxTokens: 20,
    });
    const breakdown = await recording.breakdown({ by: ['provider'] });
    expect(breakdown.groups.map((group) => group.key.provider).sort()).toEqual([
      'anthropic',
      'mistral',
      'openai',
    ]);
    expect(breakdown.total.requests).toBe(3);
  });
});
