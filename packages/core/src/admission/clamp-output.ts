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
  let low = minOutputTokens;
  let high = estimate.outputTokens - 1;
  if (high < low || estimateWithOutput(settings, estimate, low).costNano > available) return undefined;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (estimateWithOutput(settings, estimate, middle).costNano <= available) low = middle;
    else high = middle - 1;
  }
  return estimateWithOutput(settings, estimate, low);
}

/**
 * The call at its smallest output limit, for the refusal of a call in clamp mode that does not
 * fit even shrunk; undefined when its output cannot shrink (not an LLM call, or already at it).
 */
export function smallestOutput(
  settings: BudgetSettings,
  estimate: Estimate,
  minOutputTokens: number,
): { outputTokens: number; costNano: NanoUsd } | undefined {
  if (estimate.serviceType !== 'llm' || minOutputTokens >= estimate.outputTokens) return undefined;
  const smallest = estimateWithOutput(settings, estimate, minOutputTokens);
  return { outputTokens: smallest.outputTokens, costNano: smallest.costNano };
}

/** A fresh estimate of the call with this output limit; the likely prompt size carries over from the call's own. */
function estimateWithOutput(settings: BudgetSettings, estimate: Estimate, outputTokens: number): Estimate {
  const smaller = estimateCall(settings, {
    provider: estimate.provider,
    model: estimate.model,
    service: estimate.serviceType,
    inputTokens: estimate.inputTokens,
    at: new Date(settings.clock()),
    maxOutputTokens: outputTokens,
  });
  (smaller as { likelyInputTokens: number }).likelyInputTokens = estimate.likelyInputTokens;
  return smaller;
}
