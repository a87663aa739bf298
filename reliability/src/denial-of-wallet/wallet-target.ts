import Anthropic from '@anthropic-ai/sdk';
import { Mistral } from '@mistralai/mistralai';
import { wrapAnthropic } from '@tollgate/anthropic';
import { type BudgetManager, type BudgetStore, createBudget, usdToNano } from '@tollgate/core';
import type { Emulator } from '@tollgate/emulator';
import { wrapMistral } from '@tollgate/mistral';
import { wrapOpenAI } from '@tollgate/openai';
import OpenAI from 'openai';

export const APP_LIMIT_USD = 0.2;
export const USER_LIMIT_USD = 0.05;
export const USERS = ['u-1', 'u-2', 'u-3', 'u-4', 'u-5', 'u-6'] as const;

type OnInsufficientBudget = 'throw' | 'clamp';

/** The wrapped clients an attacker drives, refusing or clamping when the worst case does not fit. */
export interface WalletTarget {
  readonly budget: BudgetManager;
  readonly emulator: Emulator;
  readonly openai: Record<OnInsufficientBudget, OpenAI>;
  readonly anthropic: Record<OnInsufficientBudget, Anthropic>;
  readonly mistral: Record<OnInsufficientBudget, Mistral>;
}

export const APP_LIMIT = usdToNano(APP_LIMIT_USD);
export const USER_LIMIT = usdToNano(USER_LIMIT_USD);

/** A small app budget and a smaller per-user daily budget, in a real store, behind all three adapters. */
export function walletTarget(store: BudgetStore, emulator: Emulator): WalletTarget {
  const budget = createBudget({
    store,
    budgets: [
      { id: 'app', limitUsd: APP_LIMIT_USD, period: 'total' },
      { id: 'per-user', limitUsd: USER_LIMIT_USD, period: 'day', scope: 'user' },
    ],
    admissionTimeoutMs: 10_000,
  });
  const openai = new OpenAI({
    apiKey: 'test',
    baseURL: emulator.openaiBaseURL,
    maxRetries: 0,
    timeout: 20_000,
  });
  const anthropic = new Anthropic({
    apiKey: 'test',
    baseURL: emulator.anthropicBaseURL,
    maxRetries: 0,
    timeout: 20_000,
  });
  const mistral = new Mistral({
    apiKey: 'test',
    serverURL: emulator.mistralServerURL,
    retryConfig: { strategy: 'none' },
    timeoutMs: 20_000,
  });
  const both = <T>(wrap: (mode: OnInsufficientBudget) => T): Record<OnInsufficientBudget, T> => ({
    throw: wrap('throw'),
    clamp: wrap('clamp'),
  });
  return {
    budget,
    emulator,
    openai: both((mode) => wrapOpenAI(openai, budget, { onInsufficientBudget: mode })),
    anthropic: both((mode) => wrapAnthropic(anthropic, budget, { onInsufficientBudget: mode })),
    mistral: both((mode) => wrapMistral(mistral, budget, { onInsufficientBudget: mode })),
  };
}
