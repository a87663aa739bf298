import { GoogleGenAI } from '@google/genai';
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

/** The model of most tests, with its published prices in USD per million tokens (ai.google.dev/gemini-api/docs/pricing). */
export const MODEL = 'gemini-2.5-flash';
export const GEMINI_2_5_FLASH = { input: 0.3, cacheRead: 0.03, output: 2.5 } as const;

/** A key-shaped string, to prove that no key reaches a record or an error. */
export const API_KEY = 'AIzaSy-test-0000000000-not-a-real-key';

/** nano-USD of `tokens` at `usdPerMillionTokens`: tokens × USD per MTok × 10⁹ / 10⁶. */
export function nanoUsd(tokens: number, usdPerMillionTokens: number): number {
  return Math.round(tokens * usdPerMillionTokens * 1_000);
}

/** Tokens the gate holds for a prompt's texts: core's upper bound of each, summed. */
export function boundTokens(...texts: string[]): number {
  let tokens = 0;
  for (const text of texts) tokens += countTokens(text, 'google', MODEL).upperBound;
  return tokens;
}

/** The real SDK client against the emulator (`@google/genai` retries nothing by default). */
export function googleClient(emulator: Emulator, headers: Record<string, string> = {}): GoogleGenAI {
  return new GoogleGenAI({ apiKey: API_KEY, httpOptions: { baseUrl: emulator.geminiBaseURL, headers } });
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

/** Every record of the budget, oldest first. */
export async function recordsOf(budget: BudgetManager): Promise<readonly UsageRecord[]> {
  return (await budget.records({ limit: 1_000 })).records;
}

/** The endpoints the emulator was asked for, in order. */
export function endpoints(emulator: Emulator): (string | null)[] {
  return emulator.requests.map((request) => request.endpoint);
}

/** Waits (on setImmediate) until the emulator has logged `count` requests. */
export async function untilRequests(emulator: Emulator, count: number): Promise<void> {
  for (let turn = 0; emulator.requests.length < count; turn++) {
    if (turn > 100_000) throw new Error(`the emulator never received ${count} requests`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The emulator of one test file: started now, reset before each of its tests, closed after them. */
export async function testEmulator(): Promise<Emulator> {
  const emulator = await startEmulator();
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());
  return emulator;
}
