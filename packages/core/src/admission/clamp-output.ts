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
  const costWith = (outputTokens: number): Estimate => ({
    ...estimateCall(settings, { ...base, maxOutputTokens: outputTokens }),
    likelyInputTokens: estimate.likelyInputTokens,
  });
  let low = minOutputTokens;
  let high = estimate.outputTokens - 1;
  if (high < low || costWith(low).cost > available) return undefined;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (costWith(middle).cost <= available) low = middle;
    else high = middle - 1;
  }
  return costWith(low);
}
