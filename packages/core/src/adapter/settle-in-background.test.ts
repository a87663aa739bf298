import { describe, expect, it } from 'vitest';
import { type BudgetManager, type CommitRequest, createBudget, createUsage, ValidationError } from '../index';
import { resolveAdapterOptions } from './adapter-options';
import type { AdapterRuntime } from './adapter-runtime';
import type { AdmittedCall } from './admitted-call';
import type { CallPlanner } from './call-plan';
import { runGatedCall } from './run-gated-call';

interface FakeRequest {
  model: string;
  prompt: string;
  stream?: boolean;
}

const request: FakeRequest = { model: 'gpt-4o-mini', prompt: 'Hello there', stream: false };

type Settle = (call: AdmittedCall) => Promise<unknown>;

function planner(settle: Settle): CallPlanner {
  return (given: FakeRequest) => ({
    gate: { model: given.model, service: 'llm', text: given.prompt, maxOutputTokens: 50 },
    settle: (_response, call) => settle(call),
    stream: (call) => {
      const texts: string[] = [];
      return {
        observe: (chunk: string) => void texts.push(chunk),
        finish: () => call.settleFromOutput({ text: texts.join(' ') }, { responseId: 'stream_1' }),
      };
    },
  });
}

const settleWithUsage: Settle = (call) =>
  call.settle(createUsage({ inputTokens: 10, outputTokens: 20 }), { responseId: 'resp_1' });

/** The budget store's commits wait until `release()`: a settlement stays under way as long as the test wants. */
function holdCommits(budget: BudgetManager) {
  const commit = budget.store.commit.bind(budget.store);
  const waiting: (() => void)[] = [];
  let released = false;
  let arrived = 0;
  budget.store.commit = (input: CommitRequest) => {
    arrived += 1;
    if (released) return commit(input);
    return new Promise<void>((resolve) => waiting.push(resolve)).then(() => commit(input));
  };
  return {
    arrived: () => arrived,
    release() {
      released = true;
      for (const resume of waiting.splice(0)) resume();
    },
  };
}

function harness(settle = settleWithUsage, options: object = { settle: 'background' }) {
  const failures: unknown[] = [];
  const budget = createBudget({ budgets: [{ id: 'test', limitUsd: 10, period: 'month' }] });
  const runtime: AdapterRuntime = {
    budget,
    options: resolveAdapterOptions(
      { ...options, onSettleError: (error: unknown) => failures.push(error) },
      { provider: 'openai', label: 'Fake' },
    ),
  };
  let respond = async (given: FakeRequest): Promise<unknown> => ({ id: 'resp_1', prompt: given.prompt });
  return {
    budget,
    failures,
    commits: holdCommits(budget),
    respondWith: (next: typeof respond) => void (respond = next),
    call: (given: FakeRequest) =>
      runGatedCall(runtime, planner(settle), {}, (async (sent: FakeRequest) => respond(sent)) as never, [
        given,
      ]),
    status: async () => (await budget.status())[0]!,
  };
}

describe("settle: 'background'", () => {
  it('hands the response over while its settlement waits for the store; the hold stays until the record is written', async () => {
    const { call, commits, budget, status } = harness();
    // With an inline settlement this await would wait for the held commit, and the test would time out.
    expect(await call(request)).toEqual({ id: 'resp_1', prompt: 'Hello there' });
    await expect.poll(commits.arrived).toBe(1);
    const during = await status();
    expect(during.usedNano).toBe(0);
    expect(during.reservedNano).toBeGreaterThan(0);
    expect(budget.pendingUsage).toBe(1);

    commits.release();
    expect(await budget.flushUsage()).toBe(0);
    const record = await budget.store.getRecord('resp_1');
    expect(record).toMatchObject({ inputTokens: 10, outputTokens: 20, estimated: false });
    const after = await status();
    expect(after.reservedNano).toBe(0);
    expect(after.usedNano).toBe(record!.cost);
    expect(budget.pendingUsage).toBe(0);
  });

  it('is not the default: the response waits for its settlement', async () => {
    const { call, commits, budget } = harness(settleWithUsage, {});
    let answered = false;
    const calling = call(request).then(() => {
      answered = true;
    });
    await expect.poll(commits.arrived).toBe(1);
    expect(answered).toBe(false);
    commits.release();
    await calling;
    expect(await budget.store.getRecord('resp_1')).toMatchObject({ outputTokens: 20 });
  });

  it('close() waits for a settlement still under way', async () => {
    const { call, commits, budget } = harness();
    await call(request);
    let closed = false;
    const closing = budget.close().then(() => {
      closed = true;
    });
    await expect.poll(commits.arrived).toBe(1);
    expect(closed).toBe(false);
    expect(await budget.store.getRecord('resp_1')).toBeUndefined();
    commits.release();
    await closing;
    expect(await budget.store.getRecord('resp_1')).toMatchObject({ outputTokens: 20 });
  });

  it('reports a settlement that fails to onSettleError and settles the call at its estimate', async () => {
    const invalid = new ValidationError({ field: 'usage', message: 'made up' });
    const { call, commits, failures, budget, status } = harness(() => Promise.reject(invalid));
    commits.release();
    expect(await call(request)).toEqual({ id: 'resp_1', prompt: 'Hello there' });
    await budget.flushUsage();
    expect(failures).toEqual([invalid]);
    const settled = await status();
    expect(settled.reservedNano).toBe(0);
    expect(settled.usedNano).toBeGreaterThan(0);
  });

  it('hands over the last item of a stream without waiting for its settlement', async () => {
    const { call, commits, respondWith, budget } = harness();
    async function* words() {
      yield* ['one', 'two', 'three'];
    }
    respondWith(async () => words());
    const received: string[] = [];
    // With an inline settlement the loop would end only after the held commit.
    for await (const word of (await call({ ...request, stream: true })) as AsyncIterable<string>)
      received.push(word);
    expect(received).toEqual(['one', 'two', 'three']);
    await expect.poll(commits.arrived).toBe(1);
    expect(await budget.store.getRecord('stream_1')).toBeUndefined();
    commits.release();
    await budget.flushUsage();
    expect(await budget.store.getRecord('stream_1')).toMatchObject({ estimated: true, outputTokens: 3 });
  });

  it('refuses a value it does not know, saying which it takes', () => {
    expect(() =>
      resolveAdapterOptions({ settle: 'later' }, { provider: 'openai', label: 'Fake' }),
    ).toThrowError(/options\.settle.*inline, background/);
  });
});
