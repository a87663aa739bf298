import { type BudgetManager, type CallContext, contextWithDefaults, ValidationError } from '../index';
import type { ResolvedAdapterOptions } from './adapter-options';
import type { PromptCounting } from './prompt-counting';

/** What every call of one wrapped client shares. An adapter may add its own settings beside these. */
export interface AdapterRuntime {
  readonly budget: BudgetManager;
  readonly options: ResolvedAdapterOptions;
  /** False for a provider whose response ids repeat (Ollama): its records take the admission's id. */
  readonly uniqueResponseIds?: boolean;
  /** How a plan's exact prompt count (`countPromptExactly`) is used; a plan's count is never asked without it. */
  readonly promptCounting?: PromptCounting;
}

/** Checks that `budget` is a budget, so that a wrong argument fails when the client is wrapped. */
export function checkBudget(budget: unknown): BudgetManager {
  if (budget === null || typeof budget !== 'object' || typeof (budget as BudgetManager).gate !== 'function')
    throw new ValidationError({ field: 'budget', message: 'must be a BudgetManager (createBudget())' });
  return budget as BudgetManager;
}

/** The context of one call: the client's static context under the values of `budget.withContext()`. */
export function callContext(runtime: AdapterRuntime): CallContext | undefined {
  const { context } = runtime.options;
  return context === undefined ? undefined : contextWithDefaults(context);
}
