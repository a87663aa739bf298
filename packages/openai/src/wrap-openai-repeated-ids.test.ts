import { createBudget, MemoryStore, type TollgateWarning } from '@tollgate/core';
import { startEmulator } from '@tollgate/emulator';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { API_KEY } from './testing/openai-test-harness';
import { wrapOpenAI } from './wrap-openai';

const request = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content: 'Hello' }],
  max_tokens: 20,
};

/** One call through a fresh start of the emulator on the budget's store. */
async function callOnce(store: MemoryStore, warnings: TollgateWarning[], ids: 'unique' | 'sequential') {
  const emulator = await startEmulator({ ids });
  try {
    const budget = createBudget({
      store,
      budgets: [{ id: 'app', limitUsd: 10 }],
      onWarning: (warning) => warnings.push(warning),
    });
    const openai = wrapOpenAI(
      new OpenAI({ apiKey: API_KEY, baseURL: emulator.openaiBaseURL, maxRetries: 0 }),
      budget,
    );
    return await openai.chat.completions.create(request);
  } finally {
    await emulator.close();
  }
}

describe('a server whose response ids repeat (restarted between calls)', () => {
  it('has every call charged, the repeated one under its own request id, and says so', async () => {
    const store = new MemoryStore();
    const warnings: TollgateWarning[] = [];
    const first = await callOnce(store, warnings, 'sequential');
    const second = await callOnce(store, warnings, 'sequential');

    expect(second.id).toBe(first.id);
    const records = (await createBudget({ store }).records()).records;
    expect(records).toHaveLength(2);
    expect(records.map((record) => record.requestId)).toContain(first.id);
    expect(records[0]!.cost).toBeGreaterThan(0);
    expect(records[1]!.cost).toBe(records[0]!.cost);
    expect(warnings.map((warning) => [warning.code, warning.subject])).toEqual([
      ['TOLLGATE_DUPLICATE_RESPONSE_ID', 'openai'],
    ]);
  });

  it('meets no repeated id from the emulator by default, restart or not', async () => {
    const store = new MemoryStore();
    const warnings: TollgateWarning[] = [];
    const first = await callOnce(store, warnings, 'unique');
    const second = await callOnce(store, warnings, 'unique');

    expect(second.id).not.toBe(first.id);
    const records = (await createBudget({ store }).records()).records;
    expect(records.map((record) => record.requestId).sort()).toEqual([first.id, second.id].sort());
    expect(warnings).toEqual([]);
  });
});
