import type { NormalizedBudget } from '../config/budget-config';
import type { BudgetStatus } from '../status/budget-status';
import { type BudgetAlert, alertFor } from './budget-alert';

/** Alerts for the current state (the original `check_alerts`): ORANGE → info, RED → warning, CRITICAL → critical. */
export function currentAlerts(
  budgets: readonly NormalizedBudget[],
  statuses: readonly BudgetStatus[],
): BudgetAlert[] {
  const alerts: BudgetAlert[] = [];
  for (const status of statuses) {
    const budget = budgets.find((b) => b.id === status.budgetId)!;
    const alert = alertFor(budget, status.scope, status.periodKey, status.alertLevel, status.usedNano);
    if (alert) alerts.push(alert);
  }
  return alerts;
}
