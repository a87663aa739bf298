import type { BudgetSettings } from '../config/budget-settings';
import type { Estimate } from '../estimate/estimate-cost';
import type { NanoUsd } from '../money/money';
import { estimateCall } from './estimate-call';

/** The estimate with the largest output limit whose cost fits `available`, or undefined below the minimum. */
export function clampOutput(
  settings: BudgetSettings,
  estimate: Estimate,
  available: NanoUsd,
  minOutputTokens: number,
): Estimate | undefined {
  if (estimate.serviceType !== 'llm' || available <= 0) return undefined;
  const base = {
    provider: estimate.provider,
    model: estimate.model,
    service: estimate.serviceType,
    inputTokens: estimate.inputTokens,
    at: new Date(settings.clock()),
  };
  const costWith = (outputTokens: number): Estimate => {
    const smaller = estimateCall(settings, { ...base, maxOutputTokens: outputTokens });
    // A fresh estimate: the likely prompt size carries over from the call's own.
    (smaller as { likelyInputTokens: number }).likelyInputTokens = estimate.likelyInputTokens;
    return smaller;
  };
  let low = minOutputTokens;
  let high = estimate.outputTokens - 1;
  if (high < low || costWith(low).costNano > available) return undefined;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (costWith(middle).costNano <= available) low = middle;
    else high = middle - 1;
  }
  return costWith(low);
}
