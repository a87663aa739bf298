import { createBudget, type TollgateWarning } from '@tollgate/core';
import { type Emulator, startEmulator } from '@tollgate/emulator';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY } from './testing/openai-test-harness';
import { wrapOpenAI } from './wrap-openai';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

const budgets = [
  { id: 'app', limitUsd: 10 },
  { id: 'per-user', limitUsd: 1, period: 'day' as const, scope: 'user' as const },
];
const client = () => new OpenAI({ apiKey: API_KEY, baseURL: emulator.openaiBaseURL, maxRetries: 0 });
const ask = (openai: OpenAI) =>
  openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Hello' }],
    max_tokens: 20,
  });

describe('wrapped calls that miss a per-user budget', () => {
  it('warn once through onWarning, and are still recorded against the app budget', async () => {
    const warnings: TollgateWarning[] = [];
    const budget = createBudget({ budgets, onWarning: (warning) => warnings.push(warning) });
    const openai = wrapOpenAI(client(), budget);
    await ask(openai);
    await ask(openai);
    expect(warnings.map((warning) => [warning.code, warning.subject])).toEqual([
      ['TOLLGATE_MISSING_CONTEXT', 'per-user'],
    ]);
    const [app] = await budget.status();
    expect(app).toMatchObject({ budgetId: 'app' });
    expect(app!.usedNano).toBeGreaterThan(0);
  });

  it('are refused before anything is sent when the budget is strict', async () => {
    const budget = createBudget({ budgets, strict: true });
    const sent = emulator.requests.length;
    await expect(ask(wrapOpenAI(client(), budget))).rejects.toMatchObject({
      name: 'TollgateWarning',
      code: 'TOLLGATE_MISSING_CONTEXT',
    });
    expect(emulator.requests).toHaveLength(sent);
    const withUser = await budget.withContext({ userId: 'u-1' }, () => ask(wrapOpenAI(client(), budget)));
    expect(withUser.choices).toHaveLength(1);
  });
});
