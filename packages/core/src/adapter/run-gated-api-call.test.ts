import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { BudgetExceededError, createBudget, createUsage } from '../index';
import { resolveAdapterOptions } from './adapter-options';
import type { AdapterRuntime } from './adapter-runtime';
import { budgetedPromiseClass } from './budgeted-promise';
import type { CallPlanner } from './call-plan';
import { FakeApiPromise, type FakeResponseProps, responseProps } from './fake-sdk';
import { runGatedApiCall } from './run-gated-api-call';

interface FakeResult {
  id: string;
  usage: { input: number; output: number };
}

const BudgetedPromise = budgetedPromiseClass(FakeApiPromise);
const reply = JSON.stringify({ id: 'resp_1', usage: { input: 100, output: 10 } });

/** A call of a fake SDK method under a real budget (in memory). */
function harness(respond: () => Promise<FakeResponseProps> = async () => responseProps(reply)) {
  const budget = createBudget({ budgets: [{ id: 'test', limitUsd: 10, period: 'month' }] });
  const runtime: AdapterRuntime = {
    budget,
    options: resolveAdapterOptions({}, { provider: 'openai', label: 'Fake' }),
  };
  const sdk = { BudgetedPromise, client: { name: 'fake client' } };
  const sent: unknown[] = [];
  const method = (request: unknown) => {
    sent.push(request);
    return new FakeApiPromise(sdk.client, respond());
  };
  const planner: CallPlanner = (request: { prompt: string; maxTokens: number }) => ({
    gate: { model: 'gpt-4o-mini', service: 'llm', text: request.prompt, maxOutputTokens: request.maxTokens },
    settle: (result: FakeResult, call) =>
      call.settle(createUsage({ inputTokens: result.usage.input, outputTokens: result.usage.output }), {
        responseId: result.id,
      }),
    stream: (call) => {
      let output = 0;
      return {
        observe: (event: { output: number }) => void (output = event.output),
        finish: () =>
          call.settle(createUsage({ inputTokens: 100, outputTokens: output }), { responseId: 'resp_sse' }),
      };
    },
  });
  const call = (request: unknown) =>
    runGatedApiCall(runtime, planner, {}, method as never, [request], sdk) as FakeApiPromise<FakeResult>;
  const held = async () => (await budget.status())[0]!.reservedNano;
  return { budget, call, sent, held };
}

const request = { prompt: 'Hello there', maxTokens: 100 };

describe('runGatedApiCall', () => {
  it('returns the SDK’s own promise class, and settles from the parsed result when awaited', async () => {
    const { budget, call, held, sent } = harness();
    const pending = call(request);
    expect(pending).toBeInstanceOf(FakeApiPromise);
    expect(await pending).toEqual({ id: 'resp_1', usage: { input: 100, output: 10 } });
    expect(sent).toEqual([request]);
    expect(await budget.store.getRecord('resp_1')).toMatchObject({
      inputTokens: 100,
      outputTokens: 10,
      estimated: false,
    });
    expect(await held()).toBe(0);
  });

  it('refuses a call the budget cannot afford before the SDK method is called', async () => {
    const { call, sent, held } = harness();
    await expect(call({ prompt: 'Hello', maxTokens: 100_000_000 })).rejects.toSatisfy(
      BudgetExceededError.isInstance,
    );
    expect(sent).toEqual([]);
    expect(await held()).toBe(0);
  });

  it('passes an SDK error on as the same object, after the hold was given back', async () => {
    const failure = new Error('429 Too Many Requests');
    const { call, held, budget } = harness(() => Promise.reject(failure));
    await expect(call(request)).rejects.toBe(failure);
    await expect(call(request).asResponse()).rejects.toBe(failure);
    expect(await held()).toBe(0);
    expect((await budget.status())[0]!.usedNano).toBe(0);
  });

  it('bills a response whose body cannot be read at the input estimate, marked estimated', async () => {
    const { call, held, budget } = harness(async () => responseProps('{ not json'));
    await expect(call(request)).rejects.toThrow(SyntaxError);
    const [status] = await budget.status();
    expect(status!.usedNano).toBeGreaterThan(0);
    expect(await held()).toBe(0);
  });

  it('hands the raw response over unread with asResponse(), and settles from a copy of it', async () => {
    const { call, budget, held } = harness();
    const response = await call(request).asResponse();
    expect(await response.json()).toEqual(JSON.parse(reply));
    await expect.poll(() => budget.store.getRecord('resp_1')).toMatchObject({ outputTokens: 10 });
    expect(await held()).toBe(0);
  });

  it('settles a raw server-sent events body from its events', async () => {
    const events = 'data: {"output": 3}\n\ndata: {"output": 7}\n\ndata: [DONE]\n\n';
    const { call, budget } = harness(async () => responseProps(events, 'text/event-stream'));
    const response = await call(request).asResponse();
    expect(await response.text()).toBe(events);
    await expect.poll(() => budget.store.getRecord('resp_sse')).toMatchObject({ outputTokens: 7 });
  });

  it('settles once from the parsed result with withResponse(), and through a derived promise (_thenUnwrap)', async () => {
    const { call, budget } = harness();
    const { data, response } = await call(request).withResponse();
    expect(data.id).toBe('resp_1');
    expect(response.headers.get('x-request-id')).toBe('req_1');
    expect(await call(request)._thenUnwrap((result) => result.usage.output)).toBe(10);
    // Two calls, each settled once; the fake SDK answers both with one response id, so the
    // second is recorded under its own request id: both are charged.
    const [status] = await budget.status();
    expect(status!.usedNano).toBe(2 * (await budget.store.getRecord('resp_1'))!.cost);
  });

  it('lets a request that is not an object through to the SDK untouched', async () => {
    const { call, sent } = harness();
    await expect(call('not a request')).resolves.toMatchObject({ id: 'resp_1' });
    expect(sent).toEqual(['not a request']);
  });

  it('settles a call whose promise is dropped unawaited, once the promise is garbage-collected', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { call, budget, held, sent } = harness();
    (() => {
      call(request);
    })();
    await expect.poll(() => sent.length).toBe(1);
    await expect
      .poll(async () => {
        gc();
        return budget.store.getRecord('resp_1');
      })
      .toMatchObject({ outputTokens: 10 });
    expect(await held()).toBe(0);
  });
});

describe('budgetedPromiseClass', () => {
  it('extends the SDK’s class once, and learns only whether the caller took the raw response alone', async () => {
    expect(budgetedPromiseClass(FakeApiPromise)).toBe(BudgetedPromise);
    const raw: Response[] = [];
    const make = () =>
      new BudgetedPromise(
        {},
        Promise.resolve(responseProps(reply)),
        (_client, props) => (props as FakeResponseProps).response.clone().json(),
        (response) => raw.push(response),
      );
    expect(make()).toBeInstanceOf(FakeApiPromise);
    await make();
    await make().withResponse();
    await make().catch(() => undefined);
    expect(raw).toHaveLength(0);
    const response = await make().asResponse();
    expect(raw).toEqual([response]);
  });
});
