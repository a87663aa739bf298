import Anthropic from '@anthropic-ai/sdk';
import { Mistral } from '@mistralai/mistralai';
import { wrapAnthropic } from '@tollgate/anthropic';
import { type BudgetManager, createBudget } from '@tollgate/core';
import { type Emulator, startEmulator } from '@tollgate/emulator';
import { wrapMistral } from '@tollgate/mistral';
import { wrapOpenAI } from '@tollgate/openai';
import OpenAI from 'openai';
import { CapturingStore } from './capturing-store';

/** The real SDK clients, wrapped, against one emulator, all charging one budget in a capturing store. */
export interface StreamHarness {
  readonly emulator: Emulator;
  readonly store: CapturingStore;
  readonly budget: BudgetManager;
  readonly openai: OpenAI;
  readonly anthropic: Anthropic;
  readonly mistral: Mistral;
  /** Errors the adapters reported while settling a stream in the background. */
  readonly settleErrors: unknown[];
  close(): Promise<void>;
}

const API_KEY = 'sk-reliability-streams';

export async function startStreamHarness(): Promise<StreamHarness> {
  const emulator = await startEmulator();
  const store = new CapturingStore();
  // Large enough that no stream is refused or clamped: the checks are about settlement.
  const budget = createBudget({ store, budgets: [{ id: 'streams', limitUsd: 10_000, period: 'total' }] });
  const settleErrors: unknown[] = [];
  const onSettleError = (error: unknown) => {
    settleErrors.push(error);
  };
  return {
    emulator,
    store,
    budget,
    openai: wrapOpenAI(
      new OpenAI({ apiKey: API_KEY, baseURL: emulator.openaiBaseURL, maxRetries: 0 }),
      budget,
      { onSettleError },
    ),
    anthropic: wrapAnthropic(
      new Anthropic({ apiKey: API_KEY, baseURL: emulator.anthropicBaseURL, maxRetries: 0 }),
      budget,
    ),
    mistral: wrapMistral(
      new Mistral({
        apiKey: API_KEY,
        serverURL: emulator.mistralServerURL,
        retryConfig: { strategy: 'none' },
      }),
      budget,
      { onSettleError },
    ),
    settleErrors,
    async close() {
      await emulator.close();
      await budget.close();
    },
  };
}
