import type { BudgetStatus } from '../status/budget-status';
import { formatUsd } from '../money/money';
import type { Breakdown } from './breakdown';
import type { SavingsOpportunity } from './what-if-savings';

/** Advice from the spend so far: its priority, message and, where it applies, the provider or model. */
export interface Recommendation {
  readonly kind: 'urgent' | 'top-provider' | 'projection' | 'savings';
  readonly severity: 'urgent' | 'warning' | 'info';
  readonly message: string;
  readonly budgetId?: string;
  readonly savings?: SavingsOpportunity;
}

/** The projection above this share of the limit triggers a warning. */
export const PROJECTION_WARNING_SHARE = 1.1;

/**
 * The original three recommendations (urgent at RED/CRITICAL, the costliest provider,
 * a projection above 110% of the budget) plus quantified what-if savings.
 */
export function buildRecommendations(input: {
  statuses: readonly BudgetStatus[];
  providers: Breakdown;
  savings: readonly SavingsOpportunity[];
  maxSavings?: number;
}): Recommendation[] {
  const recommendations: Recommendation[] = [];
  for (const status of input.statuses) {
    if (status.alertLevel === 'RED' || status.alertLevel === 'CRITICAL') {
      recommendations.push({
        kind: 'urgent',
        severity: 'urgent',
        budgetId: status.budgetId,
        message: `Budget "${status.budgetId}"${scopeText(status)} is ${status.alertLevel} at ${(status.usedRatio * 100).toFixed(1)}% (${formatUsd(status.usedNano)} of ${formatUsd(status.limitNano)}): switch to the cheapest models and defer non-essential calls.`,
      });
    }
  }
  const top = input.providers.groups[0];
  if (top && top.costNano > 0 && top.key.provider) {
    recommendations.push({
      kind: 'top-provider',
      severity: 'info',
      message: `${top.key.provider} is the most expensive provider: ${formatUsd(top.costNano)}, ${(top.share * 100).toFixed(1)}% of spend from ${input.providers.fromDay} to ${input.providers.toDay}. Review which calls need it.`,
    });
  }
  for (const status of input.statuses) {
    if (status.limitNano > 0 && status.projectedNano > status.limitNano * PROJECTION_WARNING_SHARE) {
      recommendations.push({
        kind: 'projection',
        severity: 'warning',
        budgetId: status.budgetId,
        message: `Budget "${status.budgetId}"${scopeText(status)} is projected to reach ${formatUsd(status.projectedNano)} this ${status.period}, ${((status.projectedNano / status.limitNano) * 100).toFixed(0)}% of its ${formatUsd(status.limitNano)} limit (${status.projection.method} projection after ${status.projection.basis.elapsed} of its ${status.projection.basis.total} ${status.projection.basis.unit}s).`,
      });
    }
  }
  for (const opportunity of input.savings.slice(0, input.maxSavings ?? 3)) {
    recommendations.push({
      kind: 'savings',
      severity: 'info',
      message: opportunity.message.charAt(0).toUpperCase() + opportunity.message.slice(1) + '.',
      savings: opportunity,
    });
  }
  return recommendations;
}

function scopeText(status: BudgetStatus): string {
  return status.scope === 'global' ? '' : ` for ${status.scope}`;
}
