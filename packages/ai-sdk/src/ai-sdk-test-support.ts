import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import {
  type BudgetConfig,
  type BudgetManager,
  type CreateBudgetOptions,
  createBudget,
  type UsageRecord,
} from '@tollgate/core';
import type { Emulator } from '@tollgate/emulator';

/** A key-shaped string, to prove that no key reaches a record or an error. */
export const API_KEY = 'sk-test-0000000000-not-a-real-key';

/** The AI SDK's providers, each pointed at the emulator (headers go with every request). */
export function providersOf(emulator: Emulator, headers: Record<string, string> = {}) {
  return {
    openai: createOpenAI({ apiKey: API_KEY, baseURL: emulator.openaiBaseURL, headers }),
    anthropic: createAnthropic({ apiKey: API_KEY, baseURL: `${emulator.anthropicBaseURL}/v1`, headers }),
    google: createGoogleGenerativeAI({
      apiKey: API_KEY,
      baseURL: `${emulator.geminiBaseURL}/v1beta`,
      headers,
    }),
    compatible: (name: string) =>
      createOpenAICompatible({
        name,
        apiKey: API_KEY,
        baseURL: emulator.openaiBaseURL,
        headers,
        includeUsage: true,
      }),
  };
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

/** The output limit each request sent to the emulator asked for, whatever the API calls it. */
export function sentOutputLimits(emulator: Emulator): unknown[] {
  return emulator.requests.map((request) => {
    const body = request.body as Record<string, any> | undefined;
    return (
      body?.max_tokens ??
      body?.max_completion_tokens ??
      body?.max_output_tokens ??
      body?.generationConfig?.maxOutputTokens
    );
  });
}

/** Waits (on setImmediate) until `done()` holds. */
export async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let turn = 0; !(await done()); turn++) {
    if (turn > 100_000) throw new Error(`never: ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
