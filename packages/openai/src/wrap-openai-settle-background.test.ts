import type { CommitRequest } from '@tollgate/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collect, GPT_4O_MINI, type Harness, startHarness } from './testing/openai-test-harness';

let harness: Harness;
beforeAll(async () => {
  // A held commit must not reach the store's deadline while the test looks at the budget.
  harness = await startHarness(undefined, { admissionTimeoutMs: 60_000 });
});
afterAll(() => harness.close());

/** The store's commits wait until `release()`, so that a settlement stays under way. */
function holdCommits() {
  const { store } = harness;
  const commit = store.commit.bind(store);
  const waiting: (() => void)[] = [];
  let arrived = 0;
  store.commit = (request: CommitRequest) => {
    arrived += 1;
    return new Promise<void>((resolve) => waiting.push(resolve)).then(() => commit(request));
  };
  return {
    arrived: () => arrived,
    release() {
      store.commit = commit;
      for (const resume of waiting.splice(0)) resume();
    },
  };
}

const headers = { 'x-emulator-input-tokens': '1000', 'x-emulator-output-tokens': '50' };
const request = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content: 'Hello' }],
  max_tokens: 100,
};

describe("wrapOpenAI(client, budget, { settle: 'background' })", () => {
  test('returns the completion before its record is written, and records it exactly behind it', async () => {
    harness.store.committed.length = 0;
    const client = harness.client({ settle: 'background' });
    const commits = holdCommits();
    // Inline, this await would wait for the held commit and the test would time out.
    const completion = await client.chat.completions.create(request, { headers });
    expect(completion.usage).toMatchObject({ prompt_tokens: 1_000, completion_tokens: 50 });
    await expect.poll(commits.arrived).toBe(1);
    expect(await harness.reserved()).toBeGreaterThan(0);
    expect(harness.store.committed).toEqual([]);

    commits.release();
    await harness.budget.flushUsage();
    expect(harness.store.committed).toMatchObject([
      {
        requestId: completion.id,
        cost: 1_000 * GPT_4O_MINI.input + 50 * GPT_4O_MINI.output,
        estimated: false,
      },
    ]);
    expect(await harness.reserved()).toBe(0);
  });

  test('a stream ends without waiting for its record, which carries the usage of its last chunk', async () => {
    harness.store.committed.length = 0;
    const client = harness.client({ settle: 'background' });
    const commits = holdCommits();
    const chunks = await collect(
      await client.chat.completions.create({ ...request, stream: true }, { headers }),
    );
    expect(chunks.length).toBeGreaterThan(1);
    await expect.poll(commits.arrived).toBe(1);
    expect(harness.store.committed).toEqual([]);

    commits.release();
    await harness.budget.flushUsage();
    expect(harness.store.committed).toMatchObject([
      { cost: 1_000 * GPT_4O_MINI.input + 50 * GPT_4O_MINI.output, estimated: false },
    ]);
    expect(await harness.reserved()).toBe(0);
  });
});
