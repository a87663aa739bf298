import { formatUsd, type NanoUsd } from '../money/money';
import {
  type AlertLevel,
  type AlertSeverity,
  alertLevelFor,
  alertRank,
  severityOf,
  ALERT_LEVELS,
} from './alert-level';
import type { NormalizedBudget } from '../config/budget-config';

export interface BudgetAlert {
  readonly budgetId: string;
  readonly scope: string;
  readonly period: string;
  readonly level: AlertLevel;
  readonly severity: AlertSeverity;
  readonly message: string;
  readonly percentageUsed: number;
  /** nano-USD */
  readonly used: NanoUsd;
  readonly limit: NanoUsd;
}

const NO_ALERTS: readonly BudgetAlert[] = Object.freeze([]);

/**
 * The alerts one commit raised: every level with a severity that lies above the
 * level before the commit and at or below the level after it. Counter states come
 * from the atomic commit itself, so across processes each crossing is seen by
 * exactly one commit: no repeats, and a call that jumps two zones raises both.
 */
export function alertsCrossed(
  budget: NormalizedBudget,
  scope: string,
  period: string,
  committedAfter: NanoUsd,
  cost: NanoUsd,
): readonly BudgetAlert[] {
  const before = alertLevelFor(committedAfter - cost, budget.limit, budget.thresholds);
  const after = alertLevelFor(committedAfter, budget.limit, budget.thresholds);
  if (before === after) return NO_ALERTS;
  const alerts: BudgetAlert[] = [];
  for (let rank = alertRank(before) + 1; rank <= alertRank(after); rank++) {
    const level = ALERT_LEVELS[rank]!;
    const alert = alertFor(budget, scope, period, level, committedAfter);
    if (alert) alerts.push(alert);
  }
  return alerts;
}

export function alertFor(
  budget: NormalizedBudget,
  scope: string,
  period: string,
  level: AlertLevel,
  used: NanoUsd,
): BudgetAlert | undefined {
  const severity = severityOf(level);
  if (!severity) return undefined;
  const percentageUsed = budget.limit > 0 ? (used / budget.limit) * 100 : 100;
  const where = scope === 'global' ? `Budget "${budget.id}"` : `Budget "${budget.id}" for ${scope}`;
  return {
    budgetId: budget.id,
    scope,
    period,
    level,
    severity,
    message: `${where} is ${level}: ${formatUsd(used)} of ${formatUsd(budget.limit)} used (${percentageUsed.toFixed(1)}%) this ${budget.period === 'total' ? 'lifetime' : budget.period}.`,
    percentageUsed,
    used,
    limit: budget.limit,
  };
}
