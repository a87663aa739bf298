import type { BudgetConfig, ModelRegistryEntry } from '@tollgate/core';

/**
 * The app's one budget: $30 a month. CRITICAL starts at 98% instead of 100%: the gate
 * never lets spending pass the limit, so a budget whose CRITICAL level starts at the
 * limit would only reach it when nothing is left to spend, and EMERGENCY_ONLY would
 * never get a call through. Here the last 2% ($0.60) is kept for calls under $0.01.
 */
export const DEMO_BUDGETS: BudgetConfig[] = [
  { id: 'app', limitUsd: 30, period: 'month', timeZone: 'UTC', thresholds: { critical: 0.98 } },
];

/** Models the app uses that the strategy selector's registry does not rate yet. */
export const DEMO_MODELS: ModelRegistryEntry[] = [
  { provider: 'anthropic', model: 'claude-sonnet-4-6', service: 'llm', tier: 3 },
];
