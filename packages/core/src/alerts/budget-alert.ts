import { renamedFields } from '../deprecation/renamed-fields';
import { formatUsd, type NanoUsd, nanoToUsd } from '../money/money';
import { usedShare } from '../status/used-share';
import {
  type AlertLevel,
  type AlertSeverity,
  alertLevelFor,
  alertRank,
  severityOf,
  ALERT_LEVELS,
} from './alert-level';
import type { NormalizedBudget } from '../config/budget-config';

/** Raised (as the `alert` event and `onAlert`) the first time in a period a budget crosses into a level. */
export interface BudgetAlert {
  readonly budgetId: string;
  readonly scope: string;
  readonly period: string;
  readonly level: AlertLevel;
  readonly severity: AlertSeverity;
  readonly message: string;
  /** Percent of the limit used, rounded to 0.01 (for display). */
  readonly percentageUsed: number;
  /** Used ÷ limit, exact (0–1, above 1 over budget). */
  readonly usedRatio: number;
  readonly usedNano: NanoUsd;
  readonly usedUsd: number;
  readonly limitNano: NanoUsd;
  readonly limitUsd: number;
  /** @deprecated Use `usedNano` (or `usedUsd`). */
  readonly used: NanoUsd;
  /** @deprecated Use `limitNano` (or `limitUsd`). */
  readonly limit: NanoUsd;
}

const BUDGET_ALERT = renamedFields<BudgetAlert>('BudgetAlert', { used: 'usedNano', limit: 'limitNano' });

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
  const before = alertLevelFor(committedAfter - cost, budget.limitNano, budget.thresholds);
  const after = alertLevelFor(committedAfter, budget.limitNano, budget.thresholds);
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
  const { usedRatio, percentageUsed } = usedShare(used, budget.limitNano);
  const where = scope === 'global' ? `Budget "${budget.id}"` : `Budget "${budget.id}" for ${scope}`;
  const fields: Omit<BudgetAlert, 'used' | 'limit'> = {
    budgetId: budget.id,
    scope,
    period,
    level,
    severity,
    message: `${where} is ${level}: ${formatUsd(used)} of ${formatUsd(budget.limitNano)} used (${(usedRatio * 100).toFixed(1)}%) this ${budget.period === 'total' ? 'lifetime' : budget.period}.`,
    percentageUsed,
    usedRatio,
    usedNano: used,
    usedUsd: nanoToUsd(used),
    limitNano: budget.limitNano,
    limitUsd: nanoToUsd(budget.limitNano),
  };
  return Object.assign(new BUDGET_ALERT(), fields);
}
