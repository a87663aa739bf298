import { describe, expect, it } from 'vitest';
import {
  BudgetExceededError,
  type BudgetManager,
  createBudget,
  createUsage,
  StorageUnavailableError,
} from '../index';
import { resolveAdapterOptions } from './adapter-options';
import type { AdapterRuntime } from './adapter-runtime';
import type { CallPlanner } from './call-plan';
import { runGatedCall } from './run-gated-call';

interface FakeRequest {
  model: string;
  prompt: string;
  n?: number;
  maxTokens?: number;
  stream?: boolean;
}

const planner: CallPlanner = (request: FakeRequest) => ({
  gate: { model: request.model, service: 'llm', text: request.prompt, maxOutputTokens: request.maxTokens },
  choices: request.n,
  downgradable: true,
  request: (call) => {
    const clamped = call.clampedOutputTokens;
    return clamped === undefined ? request : { ...request, maxTokens: clamped };
  },
  settle: (response: { id: string; output: number }, call) =>
    call.settle(createUsage({ inputTokens: 10, outputTokens: response.output }), { responseId: response.id }),
  stream: (call) => {
    const texts: string[] = [];
    return {
      observe: (chunk: string) => void texts.push(chunk),
      finish: () => call.settleFromOutput({ text: texts.join(' ') }, { responseId: 'stream_1' }),
    };
  },
});

function harness(options: object = {}, limitUsd = 10, budget?: BudgetManager) {
  const runtime: AdapterRuntime = {
    budget: budget ?? createBudget({ budgets: [{ id: 'test', limitUsd, period: 'month' }] }),
    options: resolveAdapterOptions(options, { provider: 'openai', label: 'Fake' }),
  };
  const sent: FakeRequest[] = [];
  let respond = async (request: FakeRequest): Promise<unknown> =>
    request?.stream
      ? new Blob(['unused']).stream()
      : { id: `resp_${sent.length}`, output: request?.maxTokens ?? 5 };
  const method = async (request: FakeRequest) => {
    sent.push(request);
    return respond(request);
  };
  return {
    budget: runtime.budget,
    sent,
    respondWith: (next: typeof respond) => void (respond = next),
    call: (request: unknown) => runGatedCall(runtime, planner, {}, method as never, [request]),
    held: async () => (await runtime.budget.status())[0]!.reservedNano,
  };
}

describe('runGatedCall', () => {
  it('gates, sends the admitted request and settles from the response before handing it over', async () => {
    const { call, sent, budget, held } = harness();
    const request = { model: 'gpt-4o-mini', prompt: 'Hello', maxTokens: 20 };
    expect(await call(request)).toEqual({ id: 'resp_1', output: 20 });
    expect(sent).toEqual([request]);
    expect(await budget.store.getRecord('resp_1')).toMatchObject({ outputTokens: 20, estimated: false });
    expect(await held()).toBe(0);
  });

  it('reserves every choice, and clamps each to its share of what the budget affords', async () => {
    // gpt-4o-mini: $0.60 per million output tokens; $0.0006 affords about 1,000 output tokens.
    const { call, sent, budget } = harness({ onInsufficientBudget: 'clamp' }, 0.0006);
    await call({ model: 'gpt-4o-mini', prompt: 'Hi', n: 4, maxTokens: 5_000 });
    const perChoice = sent[0]!.maxTokens!;
    expect(perChoice).toBeLessThan(5_000);
    expect(perChoice).toBeGreaterThan(100);
    const record = await budget.store.getRecord('resp_1');
    // The hold covered all four choices of the clamped limit.
    expect(record!.reserved).toBeGreaterThanOrEqual(4 * perChoice * 600);
  });

  it('refuses a call the budget cannot afford before sending it', async () => {
    const { call, sent, held } = harness({}, 0.000001);
    await expect(call({ model: 'gpt-4o-mini', prompt: 'Hello', maxTokens: 10_000 })).rejects.toSatisfy(
      BudgetExceededError.isInstance,
    );
    expect(sent).toEqual([]);
    expect(await held()).toBe(0);
  });

  it('gives the hold back when the SDK fails, and passes on its error as the same object', async () => {
    const { call, held, respondWith, budget } = harness();
    const failure = new Error('503 Service Unavailable');
    respondWith(() => Promise.reject(failure));
    await expect(call({ model: 'gpt-4o-mini', prompt: 'Hello', maxTokens: 10 })).rejects.toBe(failure);
    expect(await held()).toBe(0);
    expect((await budget.status())[0]!.usedNano).toBe(0);
  });

  it('sends a downgradable call to the model the cost strategy picks, planned for that model', async () => {
    const budget = createBudget({ budgets: [{ id: 'test', limitUsd: 10, period: 'month' }] });
    const asked: unknown[] = [];
    Object.assign(budget, {
      downgradeFor: async (request: unknown) => {
        asked.push(request);
        return { model: 'gpt-4o-mini', reason: 'RED: cheapest first' };
      },
    });
    const { call, sent } = harness({ downgrade: true }, 10, budget);
    await call({ model: 'gpt-4o', prompt: 'Hello', maxTokens: 10 });
    expect(asked).toEqual([{ provider: 'openai', service: 'llm', model: 'gpt-4o' }]);
    expect(sent[0]!.model).toBe('gpt-4o-mini');
    expect((await budget.store.getRecord('resp_1'))!.model).toBe('gpt-4o-mini');
  });

  it('hands over an observed stream, settled from what it delivered', async () => {
    const { call, respondWith, budget } = harness();
    async function* words() {
      yield* ['one', 'two', 'three'];
    }
    respondWith(async () => words());
    const received: string[] = [];
    for await (const word of (await call({
      model: 'gpt-4o-mini',
      prompt: 'Count',
      maxTokens: 50,
      stream: true,
    })) as AsyncIterable<string>)
      received.push(word);
    expect(received).toEqual(['one', 'two', 'three']);
    expect(await budget.store.getRecord('stream_1')).toMatchObject({ estimated: true, outputTokens: 3 });
  });

  it('gives the caller its response when the store cannot record it, reports the failure and releases the hold', async () => {
    const failing = createBudget({
      budgets: [{ id: 'test', limitUsd: 10, period: 'month' }],
      usageBuffer: false,
    });
    failing.store.commit = () => Promise.reject(new Error('disk full'));
    const failures: unknown[] = [];
    const { call, held } = harness({ onSettleError: (error: unknown) => failures.push(error) }, 10, failing);
    expect(await call({ model: 'gpt-4o-mini', prompt: 'Hello', maxTokens: 10 })).toEqual({
      id: 'resp_1',
      output: 10,
    });
    expect(failures).toHaveLength(1);
    expect(StorageUnavailableError.isInstance(failures[0])).toBe(true);
    expect(await held()).toBe(0);
  });

  it('lets what is not a request object through to the SDK', async () => {
    const { call, sent } = harness();
    await call(null);
    expect(sent).toEqual([null]);
  });
});
