import Anthropic, { type ClientOptions } from '@anthropic-ai/sdk';
import {
  type BudgetConfig,
  type BudgetManager,
  countTokens,
  createBudget,
  type CreateBudgetOptions,
  type UsageRecord,
} from '@tollgate/core';
import { type Emulator, startEmulator } from '@tollgate/emulator';
import { afterAll, beforeEach } from 'vitest';

/** The model of most tests, with its published prices in USD per million tokens. */
export const MODEL = 'claude-sonnet-4-5';
export const SONNET_4_5 = {
  input: 3,
  output: 15,
  cacheRead: 0.3,
  cacheWrite5m: 3.75,
  cacheWrite1h: 6,
} as const;

/** A key-shaped string, to prove that no key reaches a record or an error. */
export const API_KEY = 'sk-ant-test-00000000-not-a-real-key';

/** nano-USD of `tokens` at `usdPerMillionTokens`: tokens × USD per MTok × 10⁹ / 10⁶. */
export function nanoUsd(tokens: number, usdPerMillionTokens: number): number {
  return Math.round(tokens * usdPerMillionTokens * 1_000);
}

/**
 * Tokens the gate prices a prompt's texts at, summed: core's upper bound of each text (Claude's
 * tokenizer is not available locally, so the gate holds what the text can cost at most).
 */
export function localTokens(...texts: string[]): number {
  return sumOfCounts(texts, 'upperBound');
}

/** Tokens core's heuristic counts for a prompt's texts, summed: the likely count. */
export function likelyTokens(...texts: string[]): number {
  return sumOfCounts(texts, 'tokens');
}

function sumOfCounts(texts: readonly string[], field: 'upperBound' | 'tokens'): number {
  let tokens = 0;
  for (const text of texts) tokens += countTokens(text, 'anthropic', MODEL)[field];
  return tokens;
}

/** The real SDK client against the emulator: no retries, so an injected error reaches the wrapper once. */
export function anthropicClient(emulator: Emulator, options: ClientOptions = {}): Anthropic {
  return new Anthropic({ apiKey: API_KEY, baseURL: emulator.anthropicBaseURL, maxRetries: 0, ...options });
}

export function testBudget(
  limitUsd = 100,
  options: Omit<CreateBudgetOptions, 'budgets'> & { budgets?: BudgetConfig[] } = {},
): BudgetManager {
  return createBudget({
    budgets: [{ id: 'app', limitUsd, period: 'month', perCallCapsUsd: false }],
    ...options,
  });
}

/** The global budget's committed and reserved nano-USD. */
export async function spent(budget: BudgetManager): Promise<{ used: number; reserved: number }> {
  const [status] = await budget.status();
  return { used: status!.usedNano, reserved: status!.reservedNano };
}

export async function recordOf(budget: BudgetManager, requestId: string): Promise<UsageRecord> {
  const record = await budget.store.getRecord(requestId);
  if (!record) throw new Error(`no record for ${requestId}`);
  return record;
}

/** The Messages requests the emulator received (count_tokens left out). */
export function messagesRequests(emulator: Emulator) {
  return emulator.requests.filter((request) => request.endpoint === 'messages');
}

/** The emulator of one test file: started now, reset before each of its tests, closed after them. */
export async function testEmulator(): Promise<Emulator> {
  const emulator = await startEmulator({ ids: 'sequential' });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());
  return emulator;
}
