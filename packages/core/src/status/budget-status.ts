import type { NanoUsd } from '../money/money';
import type { Projection } from '../report/projection';
import type { AlertLevel } from '../alerts/alert-level';
import type { Period } from '../budget/period';

/** The original system's eight status fields (USD), plus what is reserved in flight and the exact amounts. */
export interface BudgetStatus {
  readonly budgetId: string;
  readonly scope: string;
  readonly period: Period;
  readonly periodKey: string;
  readonly timeZone: string;
  readonly total: number;
  readonly used: number;
  readonly remaining: number;
  readonly percentageUsed: number;
  readonly alertLevel: AlertLevel;
  /** Whole days to the start of the next period; undefined for a `total` budget. */
  readonly daysRemaining: number | undefined;
  readonly projectedCost: number;
  readonly overBudget: boolean;
  readonly reserved: number;
  readonly projection: Projection;
  /** The same amounts in exact nano-USD. */
  readonly nano: {
    readonly limit: NanoUsd;
    readonly used: NanoUsd;
    readonly remaining: NanoUsd;
    readonly reserved: NanoUsd;
    readonly projected: NanoUsd;
  };
}
