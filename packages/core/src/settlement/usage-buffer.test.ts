import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '../errors/storage-unavailable-error';
import { MemoryStore } from '../store/memory-store';
import { createUsage } from '../usage';
import { createBudget } from '../budget/budget-manager';

const NOW = Date.UTC(2026, 10, 29, 12);
const clock = () => NOW;
const usage = createUsage({ inputTokens: 1000, outputTokens: 100 }); // gpt-4o-mini: 150,000 + 60,000 nano

/** A MemoryStore whose network can be cut. */
class FlakyStore extends MemoryStore {
  down = false;
  override async reserve(...args: Parameters<MemoryStore['reserve']>) {
    if (this.down) throw new Error('ECONNRESET');
    return super.reserve(...args);
  }
  override async commit(...args: Parameters<MemoryStore['commit']>) {
    if (this.down) throw new Error('ECONNRESET');
    return super.commit(...args);
  }
  override async readCounters(...args: Parameters<MemoryStore['readCounters']>) {
    if (this.down) throw new Error('ECONNRESET');
    return super.readCounters(...args);
  }
}

const call = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1000, maxOutputTokens: 100 };

describe('usage buffer', () => {
  it('buffers the usage of admitted calls while the store is down and writes it once on recovery', async () => {
    const store = new FlakyStore();
    const budget = createBudget({ store, clock, usageBuffer: { retryIntervalMs: 60_000 } });
    const admission = await budget.gate(call);
    store.down = true;
    const settled = await admission.settle({ usage, requestId: 'chatcmpl-1' });
    expect(settled).toMatchObject({ recorded: false, buffered: true });
    expect(budget.pendingUsage).toBe(1);
    await expect(budget.gate(call)).rejects.toThrow(StorageUnavailableError);
    expect(await budget.flushUsage()).toBe(1);
    store.down = false;
    expect(await budget.flushUsage()).toBe(0);
    expect(await budget.flushUsage()).toBe(0);
    const [status] = await budget.status();
    expect([status!.usedNano, status!.reservedNano]).toEqual([210_000, 0]);
    expect(await store.getRecord('chatcmpl-1')).toMatchObject({ cost: 210_000 });
  });

  it('spills to a file so a restarted process writes what the last one could not, exactly once', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tollgate-buffer-')), 'pending.jsonl');
    const store = new FlakyStore();
    const first = createBudget({ store, clock, usageBuffer: { path, retryIntervalMs: 60_000 } });
    store.down = true;
    for (const id of ['a', 'b', 'b'])
      await first.recordUsage({ provider: 'openai', model: 'gpt-4o-mini', usage, requestId: id });
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(2);
    appendFileSync(path, '{"record":{"requestId":"$where"}}\n{"truncated');
    store.down = false;
    const second = createBudget({ store, clock, usageBuffer: { path, retryIntervalMs: 60_000 } });
    expect(second.pendingUsage).toBe(2);
    expect(await second.flushUsage()).toBe(0);
    expect(await first.flushUsage()).toBe(0);
    const [status] = await second.status();
    expect(status!.usedNano).toBe(420_000);
    expect(existsSync(path) && readFileSync(path, 'utf8')).toBe('');
    expect(await store.getRecord('$where')).toBeUndefined();
  });

  it('is bounded: beyond its size recording fails loudly', async () => {
    const store = new FlakyStore();
    const budget = createBudget({ store, clock, usageBuffer: { maxEntries: 2 } });
    store.down = true;
    await budget.recordUsage({ provider: 'openai', model: 'gpt-4o-mini', usage, requestId: 'one' });
    await budget.recordUsage({ provider: 'openai', model: 'gpt-4o-mini', usage, requestId: 'two' });
    await expect(
      budget.recordUsage({ provider: 'openai', model: 'gpt-4o-mini', usage, requestId: 'three' }),
    ).rejects.toThrow(/2 usage records/);
  });

  it('fails closed by default, and fails open up to the allowance when asked', async () => {
    const store = new FlakyStore();
    store.down = true;
    await expect(createBudget({ store, clock }).gate(call)).rejects.toThrow(StorageUnavailableError);
    const open = createBudget({ store, clock, failOpen: { allowanceUsd: 0.0005 } });
    const admitted = await open.gate(call); // 210,000 nano of 500,000
    expect(admitted.failOpen).toBe(true);
    await open.gate(call);
    await expect(open.gate(call)).rejects.toThrow(StorageUnavailableError);
    store.down = false;
    await admitted.settle({ usage });
    expect((await open.status())[0]!.usedNano).toBe(210_000);
    expect((await open.gate(call)).failOpen).toBe(false);
    store.down = true;
    await expect(open.gate(call)).resolves.toMatchObject({ reserved: 210_000, failOpen: true });
  });
});
