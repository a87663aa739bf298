import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StorageUnavailableError } from '../errors/storage-unavailable-error';
import { MemoryStore } from '../store/memory-store';
import { createUsage } from '../usage';
import { createBudget } from './budget-manager';

const NOW = Date.UTC(2026, 10, 29, 12);
const clock = () => NOW;
const call = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1000, maxOutputTokens: 100 };
const usage = createUsage({ inputTokens: 1000, outputTokens: 100 });
const TIMEOUT_MS = 50;

/** A MemoryStore that stops answering (a network partition: calls neither resolve nor fail) or fails fast. */
class UnresponsiveStore extends MemoryStore {
  state: 'up' | 'hanging' | 'failing' = 'up';
  private answer<T>(operation: () => Promise<T>): Promise<T> {
    if (this.state === 'hanging') return new Promise<T>(() => {});
    if (this.state === 'failing') return Promise.reject(new Error('write ECONNRESET'));
    return operation();
  }
  override reserve(...args: Parameters<MemoryStore['reserve']>) {
    return this.answer(() => super.reserve(...args));
  }
  override commit(...args: Parameters<MemoryStore['commit']>) {
    return this.answer(() => super.commit(...args));
  }
  override release(...args: Parameters<MemoryStore['release']>) {
    return this.answer(() => super.release(...args));
  }
  override readDailySpend(...args: Parameters<MemoryStore['readDailySpend']>) {
    return this.answer(() => super.readDailySpend(...args));
  }
}

/**
 * Runs an operation on fake timers and lets the admission timeout pass: the operation must
 * have ended by then (it used to wait as long as the store). Its value, or what it threw.
 */
async function endsWithinTheTimeout(operation: Promise<unknown>): Promise<unknown> {
  let outcome: { value: unknown } | undefined;
  operation.then(
    (value) => {
      outcome = { value };
    },
    (error: unknown) => {
      outcome = { value: error };
    },
  );
  await vi.advanceTimersByTimeAsync(TIMEOUT_MS * 2);
  expect(outcome, 'ended within the admission timeout').toBeDefined();
  return outcome?.value;
}

describe('a store that stops answering', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('release() gives up within the admission timeout with StorageUnavailableError', async () => {
    const store = new UnresponsiveStore();
    const budget = createBudget({ store, clock, admissionTimeoutMs: TIMEOUT_MS });
    const admission = await budget.gate(call);
    store.state = 'hanging';
    const value = await endsWithinTheTimeout(admission.release());
    expect(StorageUnavailableError.isInstance(value)).toBe(true);
  });

  it("guard() rethrows the function's own error, without waiting for a hanging or failing store", async () => {
    for (const state of ['hanging', 'failing'] as const) {
      const store = new UnresponsiveStore();
      const budget = createBudget({ store, clock, admissionTimeoutMs: TIMEOUT_MS });
      const providerError = new Error('provider failed');
      const value = await endsWithinTheTimeout(
        budget.guard(call, async () => {
          store.state = state;
          throw providerError;
        }),
      );
      expect(value).toBe(providerError);
    }
  });

  it('flushUsage() and close() end within the admission timeout and keep what waits in the spill file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tollgate-unresponsive-')), 'pending.jsonl');
    const store = new UnresponsiveStore();
    const budget = createBudget({
      store,
      clock,
      admissionTimeoutMs: TIMEOUT_MS,
      usageBuffer: { path, retryIntervalMs: 60_000 },
    });
    const admission = await budget.gate(call);
    store.state = 'hanging';
    expect(await endsWithinTheTimeout(admission.settle({ usage, requestId: 'chatcmpl-1' }))).toMatchObject({
      buffered: true,
    });

    expect(await endsWithinTheTimeout(budget.flushUsage())).toBe(1);
    expect(await endsWithinTheTimeout(budget.close())).toBeUndefined();
    expect(budget.pendingUsage).toBe(1);
    expect(existsSync(path) && readFileSync(path, 'utf8')).toContain('chatcmpl-1');

    store.state = 'up';
    const restarted = createBudget({ store, clock, usageBuffer: { path, retryIntervalMs: 60_000 } });
    expect(await restarted.flushUsage()).toBe(0);
    expect((await restarted.status())[0]!.usedNano).toBe(210_000);
  });

  it('status() of a monthly budget gives up within the admission timeout when the daily spend read hangs', async () => {
    const store = new UnresponsiveStore();
    const budget = createBudget({ store, clock, admissionTimeoutMs: TIMEOUT_MS });
    store.state = 'hanging';
    store.readCounters = MemoryStore.prototype.readCounters.bind(store);
    const value = await endsWithinTheTimeout(budget.status());
    expect(StorageUnavailableError.isInstance(value)).toBe(true);
  });
});
