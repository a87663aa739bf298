import { setTimeout as sleep } from 'node:timers/promises';
import {
  BudgetExceededError,
  type BudgetManager,
  createUsage,
  StorageUnavailableError,
} from '@tollgate/core';
import type { WorkerBarrier } from './worker-barrier';

export interface GatedLoadOptions {
  budget: BudgetManager;
  /** Concurrent callers. */
  workers: number;
  /** Gate attempts in total, across workers: the load stops at whichever bound comes first. */
  maxCalls: number;
  durationMs: number;
  /** Prefix of every request id, so runs never share one. */
  requestIdPrefix: string;
  /** How long the "provider call" between gate and settle takes. Default 20 ms. */
  callMs?: number;
  /** Pause after a refusal, so that a down store is not hammered in a tight loop. Default 50 ms. */
  pauseAfterRefusalMs?: number;
  /** Stops the load early: no new gate after it fires; calls in flight still settle. */
  signal?: AbortSignal;
  /** Where each worker passes before each gate, with nothing in flight: a test can hold them there. */
  gateBarrier?: WorkerBarrier;
  /** Where each worker passes between an admission and its settle: a test can hold admitted calls there. */
  settleBarrier?: WorkerBarrier;
  /** Told of every gate attempt as soon as it is answered. */
  onAttempt?: (attempt: GateAttempt) => void;
}

export type GateOutcome = 'admitted' | 'storage-unavailable' | 'budget-exceeded' | 'other-error';

export interface GateAttempt {
  readonly requestId: string;
  /** The admission's reservation, when admitted. */
  readonly reservationId?: string;
  /** Which of the load's workers made it, from 0. */
  readonly worker: number;
  /** `performance.now()` when the gate was called and when it answered. */
  readonly startedAt: number;
  readonly answeredAt: number;
  readonly outcome: GateOutcome;
  /** nano-USD held for the call, when admitted. */
  readonly reserved: number;
  /** Admitted on the fail-open allowance, without reaching the store. */
  readonly failOpen: boolean;
}

export interface SettledLoadCall {
  readonly requestId: string;
  /** nano-USD the settle recorded. */
  readonly cost: number;
  /** The store was unreachable at settle time: the record waited in the usage buffer. */
  readonly buffered: boolean;
}

export interface GatedLoadResult {
  readonly attempts: readonly GateAttempt[];
  readonly settled: readonly SettledLoadCall[];
  /** Settles that threw: each one is a record lost by the app. */
  readonly settleFailures: readonly { requestId: string; error: string }[];
  readonly unexpectedErrors: readonly string[];
  readonly durationMs: number;
}

/** The request every load call makes: gpt-4o-mini, 1,000 prompt tokens, at most 100 out. */
export const LOAD_CALL = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  inputTokens: 1_000,
  maxOutputTokens: 100,
} as const;

/** Output tokens of call `index`: varies so that sums of costs are not multiples of one cost. */
export function outputTokensOf(index: number): number {
  return 1 + ((index * 37) % 100);
}

/**
 * Gated calls as an app makes them: gate, call the provider, settle with the real usage.
 * Bounded in count and in time; every outcome is kept for the test to check.
 */
export async function runGatedLoad(options: GatedLoadOptions): Promise<GatedLoadResult> {
  const callMs = options.callMs ?? 20;
  const pauseAfterRefusalMs = options.pauseAfterRefusalMs ?? 50;
  const started = performance.now();
  const end = started + options.durationMs;
  const attempts: GateAttempt[] = [];
  const settled: SettledLoadCall[] = [];
  const settleFailures: { requestId: string; error: string }[] = [];
  const unexpectedErrors: string[] = [];
  let issued = 0;

  const record = (attempt: GateAttempt) => {
    attempts.push(attempt);
    options.onAttempt?.(attempt);
  };

  const worker = async (workerIndex: number) => {
    for (;;) {
      await options.gateBarrier?.pass();
      if (issued >= options.maxCalls || performance.now() >= end || options.signal?.aborted) return;
      const index = issued++;
      const requestId = `${options.requestIdPrefix}-${index}`;
      const startedAt = performance.now();
      let admission: Awaited<ReturnType<BudgetManager['gate']>>;
      try {
        admission = await options.budget.gate({ ...LOAD_CALL, requestId });
      } catch (error) {
        const outcome: GateOutcome = StorageUnavailableError.isInstance(error)
          ? 'storage-unavailable'
          : BudgetExceededError.isInstance(error)
            ? 'budget-exceeded'
            : 'other-error';
        record({
          requestId,
          worker: workerIndex,
          startedAt,
          answeredAt: performance.now(),
          outcome,
          reserved: 0,
          failOpen: false,
        });
        if (outcome === 'other-error') unexpectedErrors.push(String((error as Error)?.stack ?? error));
        await sleep(pauseAfterRefusalMs);
        continue;
      }
      record({
        requestId,
        worker: workerIndex,
        startedAt,
        answeredAt: performance.now(),
        outcome: 'admitted',
        reservationId: admission.reservationId,
        reserved: admission.reservedNano,
        failOpen: admission.failOpen,
      });
      await sleep(callMs);
      await options.settleBarrier?.pass();
      try {
        const call = await admission.settle({
          usage: createUsage({ inputTokens: LOAD_CALL.inputTokens, outputTokens: outputTokensOf(index) }),
          requestId,
        });
        settled.push({ requestId, cost: call.cost.total, buffered: call.buffered });
      } catch (error) {
        settleFailures.push({ requestId, error: String((error as Error)?.stack ?? error) });
      }
    }
  };

  await Promise.all(Array.from({ length: options.workers }, (_, workerIndex) => worker(workerIndex)));
  return {
    attempts,
    settled,
    settleFailures,
    unexpectedErrors,
    durationMs: performance.now() - started,
  };
}
