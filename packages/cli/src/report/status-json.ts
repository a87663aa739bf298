import {
  type AlertLevel,
  type AlertThresholds,
  type BudgetManager,
  type BudgetStatus,
  DEFAULT_THRESHOLDS,
  type Period,
  type ProjectionMethod,
} from '@tollgate/core';
import { type MoneyJson, moneyJson } from './money-json';

/** One budget's status in the JSON output of `status` and `report`. */
export interface StatusJson {
  readonly budgetId: string;
  /** `global`, or the scope value the counter belongs to (`user:u-42`). */
  readonly scope: string;
  readonly period: Period;
  readonly periodKey: string;
  readonly timeZone: string;
  readonly alertLevel: AlertLevel;
  readonly limit: MoneyJson;
  readonly used: MoneyJson;
  readonly remaining: MoneyJson;
  readonly reserved: MoneyJson;
  readonly projected: MoneyJson;
  readonly percentageUsed: number;
  /** Null for a `total` budget, which has no end. */
  readonly daysRemaining: number | null;
  readonly overBudget: boolean;
  /** Shares of the limit (0–1) where YELLOW, ORANGE, RED and CRITICAL start. */
  readonly thresholds: AlertThresholds;
  readonly projection: {
    readonly method: ProjectionMethod;
    readonly basis: { readonly unit: 'day' | 'hour'; readonly elapsed: number; readonly total: number };
    readonly linear: MoneyJson;
    readonly recentTrend: MoneyJson | null;
  };
}

export function statusJson(status: BudgetStatus, thresholds: AlertThresholds): StatusJson {
  const { projection } = status;
  return {
    budgetId: status.budgetId,
    scope: status.scope,
    period: status.period,
    periodKey: status.periodKey,
    timeZone: status.timeZone,
    alertLevel: status.alertLevel,
    limit: moneyJson(status.nano.limit),
    used: moneyJson(status.nano.used),
    remaining: moneyJson(status.nano.remaining),
    reserved: moneyJson(status.nano.reserved),
    projected: moneyJson(status.nano.projected),
    percentageUsed: status.percentageUsed,
    daysRemaining: status.daysRemaining ?? null,
    overBudget: status.overBudget,
    thresholds: { ...thresholds },
    projection: {
      method: projection.method,
      basis: { ...projection.basis },
      linear: moneyJson(projection.linear),
      recentTrend: projection.recentTrend === undefined ? null : moneyJson(projection.recentTrend),
    },
  };
}

/** Every status with its budget's thresholds. */
export function statusesJson(budget: BudgetManager, statuses: readonly BudgetStatus[]): StatusJson[] {
  return statuses.map((status) =>
    statusJson(
      status,
      budget.budgets.find((candidate) => candidate.id === status.budgetId)?.thresholds ?? DEFAULT_THRESHOLDS,
    ),
  );
}
