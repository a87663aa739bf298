import { describe, expect, it } from 'vitest';
import {
  type BudgetManager,
  createBudget,
  createUsage,
  StorageUnavailableError,
  ValidationError,
} from '../index';
import { resolveAdapterOptions } from './adapter-options';
import type { AdapterRuntime } from './adapter-runtime';
import type { AdmittedCall } from './admitted-call';
import type { CallPlan } from './call-plan';
import { runGatedCall } from './run-gated-call';

const request = { model: 'gpt-4o-mini', prompt: 'Hello there', maxTokens: 50 };
const gate = { model: request.model, service: 'llm' as const, text: request.prompt, maxOutputTokens: 50 };

function harness(plan: Omit<CallPlan, 'gate'>, respond: () => Promise<unknown>, budget?: BudgetManager) {
  const failures: unknown[] = [];
  let admitted: AdmittedCall | undefined;
  const runtime: AdapterRuntime = {
    budget:
      budget ??
      createBudget({ budgets: [{ id: 'test', limitUsd: 10, period: 'month' }], usageBuffer: false }),
    options: resolveAdapterOptions(
      { onSettleError: (error: unknown) => failures.push(error) },
      { provider: 'openai', label: 'Fake' },
    ),
  };
  return {
    failures,
    budget: runtime.budget,
    call: () =>
      runGatedCall(runtime, () => ({ gate, ...plan, request: keep }), {}, respond as never, [request]),
    held: async () => (await runtime.budget.status())[0]!.reservedNano,
    used: async () => (await runtime.budget.status())[0]!.usedNano,
    /** The record under the admission's own id (a settlement at the estimate or from the output). */
    record: async () => runtime.budget.store.getRecord(admitted!.admission.requestId),
  };

  function keep(call: AdmittedCall): unknown {
    admitted = call;
    return call.request;
  }
}

describe('a settlement that fails', () => {
  it('never takes the response from the caller: the error is reported and the call settled at the estimate', async () => {
    const invalid = new ValidationError({ field: 'usage', message: 'made up' });
    const { call, failures, held, record, used } = harness(
      { settle: () => Promise.reject(invalid) },
      async () => ({ id: 'resp_1' }),
    );
    expect(await call()).toEqual({ id: 'resp_1' });
    expect(failures).toEqual([invalid]);
    expect(await held()).toBe(0);
    const settled = await record();
    expect(settled).toMatchObject({ estimated: true, outputTokens: 50 });
    expect(await used()).toBe(settled!.cost);
  });

  it('releases the hold when the store failed to record the call, rather than recording it twice', async () => {
    const budget = createBudget({
      budgets: [{ id: 'test', limitUsd: 10, period: 'month' }],
      usageBuffer: false,
    });
    const commit = budget.store.commit.bind(budget.store);
    let commits = 0;
    budget.store.commit = (input) => {
      commits += 1;
      return commits === 1 ? Promise.reject(new Error('connection reset')) : commit(input);
    };
    const { call, failures, held, used } = harness(
      { settle: (_result, admitted) => admitted.settle(createUsage({ inputTokens: 5, outputTokens: 5 })) },
      async () => ({ id: 'resp_1' }),
      budget,
    );
    expect(await call()).toEqual({ id: 'resp_1' });
    expect(StorageUnavailableError.isInstance(failures[0])).toBe(true);
    expect(commits).toBe(1);
    expect(await held()).toBe(0);
    expect(await used()).toBe(0);
  });

  it('settles a streamed call at the estimate when its observer fails to settle it', async () => {
    async function* words() {
      yield* ['one', 'two'];
    }
    const broken = new Error('observer bug');
    const { call, failures, held, record } = harness(
      { stream: () => ({ observe: () => true, finish: () => Promise.reject(broken) }) },
      async () => words(),
    );
    const received: string[] = [];
    for await (const word of (await call()) as AsyncIterable<string>) received.push(word);
    expect(received).toEqual(['one', 'two']);
    expect(failures).toEqual([broken]);
    expect(await held()).toBe(0);
    expect(await record()).toMatchObject({ estimated: true, outputTokens: 50 });
  });
});

describe('an SDK error after the provider answered', () => {
  it('is settled from what the error holds, and reaches the caller as the same object', async () => {
    const unreadable = Object.assign(new Error('Response validation failed'), {
      rawValue: { output: 'Hi there' },
    });
    const { call, held, record } = harness(
      {
        settleFailure: async (error, admitted) => {
          const text = (error as { rawValue?: { output?: string } }).rawValue?.output;
          if (text === undefined) return false;
          await admitted.settleFromOutput({ text });
          return true;
        },
      },
      () => Promise.reject(unreadable),
    );
    await expect(call()).rejects.toBe(unreadable);
    expect(await held()).toBe(0);
    expect(await record()).toMatchObject({ estimated: true, outputTokens: 2 });
  });

  it('releases the hold when the plan says the provider never answered', async () => {
    const refused = new Error('connect ECONNREFUSED');
    const { call, held, used } = harness({ settleFailure: async () => false }, () => Promise.reject(refused));
    await expect(call()).rejects.toBe(refused);
    expect(await held()).toBe(0);
    expect(await used()).toBe(0);
  });
});
