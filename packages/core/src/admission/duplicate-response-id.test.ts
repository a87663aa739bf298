import { describe, expect, it } from 'vitest';
import { createBudget } from '../budget/budget-manager';
import { StorageUnavailableError } from '../errors/storage-unavailable-error';
import { MemoryStore } from '../store/memory-store';
import type { CommitRequest, CommitResult } from '../store/store-contract';
import { createUsage } from '../usage';
import type { TollgateWarning } from '../warnings/tollgate-warning';

const CALL = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 100, maxOutputTokens: 100 };
const usage = createUsage({ inputTokens: 100, outputTokens: 50 });

/** A store whose next commit is written and then reported failed, as a commit cut off after its write. */
class CutOffAfterWriting extends MemoryStore {
  cutNext = false;

  override async commit(request: CommitRequest): Promise<CommitResult> {
    const result = await super.commit(request);
    if (!this.cutNext) return result;
    this.cutNext = false;
    throw new StorageUnavailableError('the connection closed after the write');
  }
}

describe('a response id another call already recorded', () => {
  it('charges the second call under its own request id and warns once per provider', async () => {
    const warnings: TollgateWarning[] = [];
    const budget = createBudget({
      budgets: [{ id: 'app', limitUsd: 10, period: 'month' }],
      onWarning: (warning) => warnings.push(warning),
    });
    const first = await (await budget.gate(CALL)).settle({ usage, requestId: 'chatcmpl-000001' });
    const second = await budget.gate(CALL);
    const settled = await second.settle({ usage, requestId: 'chatcmpl-000001' });
    const third = await budget.gate(CALL);
    await third.settle({ usage, requestId: 'chatcmpl-000001' });

    expect(first.recorded).toBe(true);
    expect(settled).toMatchObject({ recorded: true, buffered: false });
    expect(settled.record.requestId).toBe(second.requestId);
    expect(await budget.store.getRecord(third.requestId)).toBeDefined();
    const [status] = await budget.status();
    expect(status!.usedNano).toBe(3 * first.cost.total);
    expect(status!.reservedNano).toBe(0);
    expect(warnings.map((warning) => [warning.code, warning.subject])).toEqual([
      ['TOLLGATE_DUPLICATE_RESPONSE_ID', 'openai'],
    ]);
    expect(warnings[0]!.message).toContain(`recorded as '${second.requestId}'`);
  });

  it('charges once when a settle is tried again after a commit that was written but reported failed', async () => {
    const store = new CutOffAfterWriting();
    const budget = createBudget({
      store,
      budgets: [{ id: 'app', limitUsd: 10, period: 'month' }],
      usageBuffer: false,
    });
    const admission = await budget.gate(CALL);
    store.cutNext = true;
    await expect(admission.settle({ usage, requestId: 'chatcmpl-cut' })).rejects.toSatisfy(
      StorageUnavailableError.isInstance,
    );
    const retried = await admission.settle({ usage, requestId: 'chatcmpl-cut' });

    expect(retried.recorded).toBe(false);
    expect(await store.getRecord(admission.requestId)).toBeUndefined();
    const [status] = await budget.status();
    expect(status!.usedNano).toBe(retried.cost.total);
  });

  it('keeps a settle with the admission’s own id idempotent across admissions given that id', async () => {
    const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 10, period: 'month' }] });
    const first = await (await budget.gate({ ...CALL, requestId: 'job-7' })).settle({ usage });
    const again = await (await budget.gate({ ...CALL, requestId: 'job-7' })).settle({ usage });

    expect(again.recorded).toBe(false);
    const [status] = await budget.status();
    expect(status!.usedNano).toBe(first.cost.total);
  });
});
