// A strict TypeScript consumer of every library package but @tollgate/mistral (in mistral-consumer.ts),
// type-checked, never run, as .ts, .mts and .cts under each module setting a user may have: the same
// text is CommonJS and ESM, so no top-level await.
import Anthropic from '@anthropic-ai/sdk';
import { wrapAnthropic } from '@tollgate/anthropic';
import {
  BudgetExceededError,
  type BudgetManager,
  type BudgetStatus,
  type CreateBudgetOptions,
  createBudget,
} from '@tollgate/core';
import { storeConformanceSuite } from '@tollgate/core/testing';
import { type Emulator, startEmulator } from '@tollgate/emulator';
import { MongoStore } from '@tollgate/mongodb';
import { wrapOpenAI } from '@tollgate/openai';
import { SqliteStore } from '@tollgate/sqlite';
import OpenAI from 'openai';

export async function callProviders(emulator: Emulator, budget: BudgetManager): Promise<string[]> {
  const openai: OpenAI = wrapOpenAI(new OpenAI({ apiKey: 'test', baseURL: emulator.openaiBaseURL }), budget, {
    onInsufficientBudget: 'clamp',
  });
  const anthropic: Anthropic = wrapAnthropic(
    new Anthropic({ apiKey: 'test', baseURL: emulator.anthropicBaseURL }),
    budget,
  );
  const messages = [{ role: 'user' as const, content: 'Hello' }];

  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages });
  const message = await anthropic.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 16, messages });
  const text: string | null | undefined = completion.choices[0]?.message.content;
  return [completion.id, message.id, text ?? ''];
}

export async function main(): Promise<readonly BudgetStatus[]> {
  const emulator = await startEmulator();
  const options: CreateBudgetOptions = {
    store: new SqliteStore({ path: 'spend.db' }),
    budgets: [{ id: 'app', limitUsd: 30, period: 'month', timeZone: 'UTC' }],
  };
  const budget = createBudget(options);
  try {
    await callProviders(emulator, budget);
  } catch (error) {
    if (!BudgetExceededError.isInstance(error)) throw error;
    const available: number = error.availableNano;
    console.log(available);
  }
  // @ts-expect-error: a wrong option is an error, so the declarations were found and are not `any`.
  wrapOpenAI(new OpenAI(), budget, { onInsufficientBudget: 'sometimes' });
  return budget.status();
}

export function sharedBudget(uri: string): BudgetManager {
  return createBudget({ store: new MongoStore({ uri, dbName: 'tollgate' }) });
}

export const conformance: typeof storeConformanceSuite = storeConformanceSuite;
