import { describe, expect, it } from 'vitest';
import { createBudget } from '../budget/budget-manager';
import { MemoryStore } from '../store/memory-store';
import type { CommitRequest, CommitResult } from '../store/store-contract';
import { createUsage } from '../usage';
import type { TollgateWarning } from '../warnings/tollgate-warning';

const NOW = Date.UTC(2026, 10, 29, 12);
const call = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1000, maxOutputTokens: 100 };
const usage = createUsage({ inputTokens: 1000, outputTokens: 50 });
const COST = 180_000;
const budgets = [{ id: 'global', limitUsd: 10, period: 'month' as const }];

function leasedBudget(store: MemoryStore, warnings: TollgateWarning[] = []) {
  return createBudget({
    store,
    clock: () => NOW,
    budgets,
    leases: { minCalls: 10, flushIntervalMs: 3_600_000 },
    onWarning: (warning) => warnings.push(warning),
  });
}

/** Writes the next commit, then reports it failed: an answer lost on the way back. */
class CutOffAfterWriting extends MemoryStore {
  cutNext = false;
  override async commit(request: CommitRequest): Promise<CommitResult> {
    const result = await super.commit(request);
    if (this.cutNext) {
      this.cutNext = false;
      throw new Error('ECONNRESET');
    }
    return result;
  }
}

/** The same, writing what waits in batches, as SqliteStore and MongoStore do. */
class CutOffAfterWritingInBatches extends CutOffAfterWriting {
  async commitMany(requests: readonly CommitRequest[]): Promise<{ recorded: boolean[] }> {
    const results = [];
    for (const request of requests) results.push(await MemoryStore.prototype.commit.call(this, request));
    if (this.cutNext) {
      this.cutNext = false;
      throw new Error('ECONNRESET');
    }
    return { recorded: results.map((result) => result.recorded) };
  }
}

describe.each([
  ['one by one', CutOffAfterWriting],
  ['in batches', CutOffAfterWritingInBatches],
])('leases and a response id another call already has, records written %s', (_, Store) => {
  it("writes the call under its own id when another instance's record has its response id, and warns", async () => {
    const store = new Store();
    const other = createBudget({ store, clock: () => NOW, budgets });
    await (await other.gate(call)).settle({ usage, requestId: 'chatcmpl-1' });
    await other.close();

    const warnings: TollgateWarning[] = [];
    const budget = leasedBudget(store, warnings);
    const admission = await budget.gate(call);
    await admission.settle({ usage, requestId: 'chatcmpl-1' });
    expect(await budget.flushUsage()).toBe(0);

    expect((await budget.status())[0]!.usedNano).toBe(2 * COST);
    expect(await store.getRecord(admission.requestId)).toMatchObject({ cost: COST });
    expect(warnings.map((warning) => [warning.code, warning.subject])).toEqual([
      ['TOLLGATE_DUPLICATE_RESPONSE_ID', 'openai'],
    ]);
    await budget.close();
    const [counter] = await store.readCounters(
      [{ budgetId: 'global', scope: 'global', period: 'month:2026-11' }],
      NOW,
    );
    expect(counter).toMatchObject({ committed: 2 * COST, reserved: 0 });
  });

  it('charges once when a write that reached the store was reported failed and is tried again', async () => {
    const store = new Store();
    const warnings: TollgateWarning[] = [];
    const budget = leasedBudget(store, warnings);
    const admission = await budget.gate(call);
    await admission.settle({ usage, requestId: 'chatcmpl-cut' });
    store.cutNext = true;
    expect(await budget.flushUsage()).toBe(1);
    expect(await budget.flushUsage()).toBe(0);

    expect((await budget.status())[0]!.usedNano).toBe(COST);
    expect(await store.getRecord(admission.requestId)).toBeUndefined();
    expect(warnings).toEqual([]);
    await budget.close();
  });
});
