import {
  type AlertLevel,
  type AlertThresholds,
  type BudgetManager,
  type BudgetStatus,
  DEFAULT_THRESHOLDS,
  type NanoUsd,
  type Period,
  type ProjectionMethod,
} from '@tollgate/core';
import type { LeaseHoldsJson } from './lease-holds-json';
import { type MoneyJson, moneyJson } from './money-json';

/** One budget's status in the JSON output of `status` and `report`: core's names, each amount with its unit. */
export interface StatusJson {
  readonly budgetId: string;
  /** `global`, or the scope value the counter belongs to (`user:u-42`). */
  readonly scope: string;
  readonly period: Period;
  readonly periodKey: string;
  readonly timeZone: string;
  readonly alertLevel: AlertLevel;
  readonly limitUsd: number;
  readonly limitNano: NanoUsd;
  readonly usedUsd: number;
  readonly usedNano: NanoUsd;
  readonly remainingUsd: number;
  readonly remainingNano: NanoUsd;
  readonly reservedUsd: number;
  readonly reservedNano: NanoUsd;
  readonly projectedUsd: number;
  readonly projectedNano: NanoUsd;
  /** Percent of the limit used, rounded to 0.01. */
  readonly percentageUsed: number;
  /** Used ÷ limit, exact (0–1, above 1 over budget). */
  readonly usedRatio: number;
  /** Null for a `total` budget, which has no end. */
  readonly daysRemaining: number | null;
  readonly overBudget: boolean;
  /** Shares of the limit (0–1) where YELLOW, ORANGE, RED and CRITICAL start. */
  readonly thresholds: AlertThresholds;
  readonly projection: {
    readonly method: ProjectionMethod;
    readonly basis: { readonly unit: 'day' | 'hour'; readonly elapsed: number; readonly total: number };
    readonly linearUsd: number;
    readonly linearNano: NanoUsd;
    readonly recentTrendUsd: number | null;
    readonly recentTrendNano: NanoUsd | null;
    /** @deprecated Use `linearUsd` and `linearNano`; removed in the next minor version. */
    readonly linear: MoneyJson;
    /** @deprecated Use `recentTrendUsd` and `recentTrendNano`; removed in the next minor version. */
    readonly recentTrend: MoneyJson | null;
  };
  /** Present when app instances hold quota leases on this budget: what they hold, in all and per instance. */
  readonly leases?: LeaseHoldsJson;
  /** @deprecated Use `limitUsd` and `limitNano`; removed in the next minor version. */
  readonly limit: MoneyJson;
  /** @deprecated Use `usedUsd` and `usedNano`; removed in the next minor version. */
  readonly used: MoneyJson;
  /** @deprecated Use `remainingUsd` and `remainingNano`; removed in the next minor version. */
  readonly remaining: MoneyJson;
  /** @deprecated Use `reservedUsd` and `reservedNano`; removed in the next minor version. */
  readonly reserved: MoneyJson;
  /** @deprecated Use `projectedUsd` and `projectedNano`; removed in the next minor version. */
  readonly projected: MoneyJson;
}

export function statusJson(status: BudgetStatus, thresholds: AlertThresholds): StatusJson {
  const { projection } = status;
  const recentTrend = projection.recentTrendNano;
  return {
    budgetId: status.budgetId,
    scope: status.scope,
    period: status.period,
    periodKey: status.periodKey,
    timeZone: status.timeZone,
    alertLevel: status.alertLevel,
    limitUsd: status.limitUsd,
    limitNano: status.limitNano,
    usedUsd: status.usedUsd,
    usedNano: status.usedNano,
    remainingUsd: status.remainingUsd,
    remainingNano: status.remainingNano,
    reservedUsd: status.reservedUsd,
    reservedNano: status.reservedNano,
    projectedUsd: status.projectedUsd,
    projectedNano: status.projectedNano,
    percentageUsed: status.percentageUsed,
    usedRatio: status.usedRatio,
    daysRemaining: status.daysRemaining ?? null,
    overBudget: status.overBudget,
    thresholds: { ...thresholds },
    projection: {
      method: projection.method,
      basis: { ...projection.basis },
      linearUsd: moneyJson(projection.linearNano).usd,
      linearNano: projection.linearNano,
      recentTrendUsd: recentTrend === undefined ? null : moneyJson(recentTrend).usd,
      recentTrendNano: recentTrend ?? null,
      linear: moneyJson(projection.linearNano),
      recentTrend: recentTrend === undefined ? null : moneyJson(recentTrend),
    },
    limit: moneyJson(status.limitNano),
    used: moneyJson(status.usedNano),
    remaining: moneyJson(status.remainingNano),
    reserved: moneyJson(status.reservedNano),
    projected: moneyJson(status.projectedNano),
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
