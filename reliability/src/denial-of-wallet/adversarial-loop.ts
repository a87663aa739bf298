import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { type Attack, type AttackResult, attack, runAttack } from './attacks';
import { APP_LIMIT, USER_LIMIT, USERS, type WalletTarget } from './wallet-target';

export interface LoopOptions {
  readonly durationMs: number;
  readonly callers: number;
  readonly seed: number;
  /** A bound on attacks per caller, whatever the time left. */
  readonly maxAttacksPerCaller: number;
}

export interface SpendSamples {
  readonly samples: number;
  /** The largest committed spend seen on the app budget, and on any user's budget (nano-USD). */
  readonly maxAppCommitted: number;
  readonly maxUserCommitted: number;
  /** The largest committed + reserved seen: what the store had promised at that moment. */
  readonly maxAppHeld: number;
  readonly maxUserHeld: number;
  /** Samples where committed or committed + reserved was above a limit. */
  readonly overLimit: string[];
}

export interface LoopResult {
  readonly results: AttackResult[];
  readonly spend: SpendSamples;
  readonly elapsedMs: number;
}

const PLAN_LENGTH = 2_000;
const SAMPLE_EVERY_MS = 20;

/**
 * Many callers attack the target at full speed until the time is up (or each made its bound of
 * attacks), each following its own seeded plan; meanwhile a sampler reads the app's and every
 * user's counters and notes any moment where spend or promised spend was above its limit.
 */
export async function runAdversarialLoop(target: WalletTarget, options: LoopOptions): Promise<LoopResult> {
  const started = Date.now();
  const deadline = started + options.durationMs;
  const results: AttackResult[] = [];
  let running = true;
  const sampling = sampleSpend(target, () => running);

  const caller = async (index: number) => {
    const plan: Attack[] = fc.sample(attack, { seed: options.seed + index, numRuns: PLAN_LENGTH });
    for (let step = 0; step < options.maxAttacksPerCaller && Date.now() < deadline; step++) {
      results.push(...(await runAttack(target, plan[step % plan.length]!)));
      // A refusal by SQLite involves no I/O: without a turn of the event loop between attacks, the
      // callers would run as one endless chain of microtasks and starve every socket, as no server
      // (where each attack arrives as a request) would.
      await nextTurn();
    }
  };
  try {
    await Promise.all(Array.from({ length: options.callers }, (_, index) => caller(index)));
  } finally {
    running = false;
  }
  return { results, spend: await sampling, elapsedMs: Date.now() - started };
}

async function sampleSpend(target: WalletTarget, running: () => boolean): Promise<SpendSamples> {
  let samples = 0;
  let maxAppCommitted = 0;
  let maxUserCommitted = 0;
  let maxAppHeld = 0;
  let maxUserHeld = 0;
  const overLimit: string[] = [];
  while (running()) {
    for (const userId of USERS) {
      for (const status of await target.budget.status({ userId })) {
        const { usedNano: used, reservedNano: reserved } = status;
        const limit = status.budgetId === 'app' ? APP_LIMIT : USER_LIMIT;
        if (status.budgetId === 'app') {
          maxAppCommitted = Math.max(maxAppCommitted, used);
          maxAppHeld = Math.max(maxAppHeld, used + reserved);
        } else {
          maxUserCommitted = Math.max(maxUserCommitted, used);
          maxUserHeld = Math.max(maxUserHeld, used + reserved);
        }
        if (used > limit || used + reserved > limit)
          overLimit.push(
            `${status.budgetId} ${status.scope}: committed ${used} + reserved ${reserved} > ${limit}`,
          );
      }
    }
    samples += 1;
    await sleep(SAMPLE_EVERY_MS);
  }
  return { samples, maxAppCommitted, maxUserCommitted, maxAppHeld, maxUserHeld, overLimit };
}
