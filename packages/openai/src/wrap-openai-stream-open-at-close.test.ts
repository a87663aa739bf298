import { createBudget, MemoryStore } from '@tollgate/core';
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

const request = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content: 'Tell me a long story.' }],
  max_tokens: 200,
  stream: true as const,
};

describe('a stream still open when its budget closes', () => {
  for (const settle of ['inline', 'background'] as const) {
    it(`is recorded from what it received, estimated, and holds nothing (settle: '${settle}')`, async () => {
      const store = new MemoryStore();
      const budget = createBudget({ store, budgets: [{ id: 'app', limitUsd: 10 }] });
      const openai = wrapOpenAI(
        new OpenAI({ apiKey: API_KEY, baseURL: emulator.openaiBaseURL, maxRetries: 0 }),
        budget,
        { settle },
      );
      const stream = await openai.chat.completions.create(request, {
        headers: { 'x-emulator-output-tokens': '100' },
      });
      // Read, then neither read to the end, nor left, nor dropped: the stream is still open.
      const iterator = stream[Symbol.asyncIterator]();
      await iterator.next();
      await iterator.next();
      const [before] = await budget.status();
      expect(before!.reservedNano).toBeGreaterThan(0);

      await budget.close();

      const { records } = await createBudget({ store }).records();
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ estimated: true });
      expect(records[0]!.cost).toBeGreaterThan(0);
      const [after] = await createBudget({ store, budgets: [{ id: 'app', limitUsd: 10 }] }).status();
      expect(after!.reservedNano).toBe(0);
      expect(after!.usedNano).toBe(records[0]!.cost);
    });
  }
});
