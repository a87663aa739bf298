import type { BudgetSettings } from '../config/budget-settings';
import { validatePlainObject } from '../errors/validation';
import { type Estimate, type EstimateRequest, estimateWithCatalog } from '../estimate/estimate-cost';

/** A call's estimate with the budget's catalog, clock and prompt-token pricing. */
export function estimateCall(settings: BudgetSettings, request: EstimateRequest): Estimate {
  validatePlainObject(request, 'request');
  return estimateWithCatalog(settings.catalog, request, new Date(settings.clock()), settings.promptTokens);
}
