import type { Recommendation, SavingsOpportunity } from '@tollgate/core';
import { moneyJson } from './money-json';
import type { RecommendationJson, SavingsJson } from './report-json';

export function savingsJson(opportunity: SavingsOpportunity): SavingsJson {
  return {
    requestType: opportunity.requestType,
    service: opportunity.service,
    from: { ...opportunity.from },
    to: { ...opportunity.to },
    kind: opportunity.kind,
    actualCostUsd: opportunity.actualCostUsd,
    actualCostNano: opportunity.actualCostNano,
    replayedCostUsd: opportunity.replayedCostUsd,
    replayedCostNano: opportunity.replayedCostNano,
    savingUsd: opportunity.savingUsd,
    savingNano: opportunity.savingNano,
    actualCost: moneyJson(opportunity.actualCostNano),
    replayedCost: moneyJson(opportunity.replayedCostNano),
    saving: moneyJson(opportunity.savingNano),
    requests: opportunity.requests,
    days: opportunity.days,
    approximate: opportunity.approximate ?? null,
    message: opportunity.message,
  };
}

export function recommendationJson(recommendation: Recommendation): RecommendationJson {
  return {
    kind: recommendation.kind,
    severity: recommendation.severity,
    message: recommendation.message,
    budgetId: recommendation.budgetId ?? null,
    savings: recommendation.savings ? savingsJson(recommendation.savings) : null,
  };
}
