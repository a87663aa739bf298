import type { BudgetSettings } from '../config/budget-settings';
import { rejectUnknownKeys } from '../errors/reject-unknown-keys';
import { validatePlainObject } from '../errors/validation';
import { type Estimate, type EstimateRequest, estimateWithCatalog } from '../estimate/estimate-cost';
import { ESTIMATE_REQUEST_KEYS } from '../estimate/estimate-request-keys';

/** A call's estimate with the budget's catalog, clock and prompt-token pricing. */
export function estimateCall(settings: BudgetSettings, request: EstimateRequest): Estimate {
  validatePlainObject(request, 'request');
  rejectUnknownKeys(request, ESTIMATE_REQUEST_KEYS, 'request');
  return estimateWithCatalog(settings.catalog, request, new Date(settings.clock()), settings.promptTokens);
}
