import type { NanoUsd } from '../money/money';
import type { Projection } from '../report/projection';
import type { AlertLevel } from '../alerts/alert-level';
import type { Period } from '../budget/period';
import { renamedFields, warnRenamed } from '../deprecation/renamed-fields';
import type { BudgetLeases } from '../leases/budget-leases';

/**
 * The original system's eight status fields, plus what is reserved in flight. Every amount
 * says its unit: `…Usd` numbers for display, `…Nano` exact integers of nano-USD for sums.
 */
export interface BudgetStatus {
  readonly budgetId: string;
  readonly scope: string;
  readonly period: Period;
  readonly periodKey: string;
  readonly timeZone: string;
  readonly limitUsd: number;
  readonly usedUsd: number;
  readonly remainingUsd: number;
  /** Percent of the limit used, rounded to 0.01 (for display). */
  readonly percentageUsed: number;
  /** Used ÷ limit, exact (0–1, above 1 over budget). */
  readonly usedRatio: number;
  readonly alertLevel: AlertLevel;
  /** Whole days to the start of the next period; undefined for a `total` budget. */
  readonly daysRemaining: number | undefined;
  /** Where the period's spend ends up at its pace (`projection` says how it was reached). */
  readonly projectedUsd: number;
  readonly overBudget: boolean;
  /** Held by calls in flight. */
  readonly reservedUsd: number;
  readonly limitNano: NanoUsd;
  readonly usedNano: NanoUsd;
  readonly remainingNano: NanoUsd;
  readonly reservedNano: NanoUsd;
  readonly projectedNano: NanoUsd;
  readonly projection: Projection;
  /** The quota leases on this budget, when calls lease (`createBudget({ leases })`). */
  readonly leases?: BudgetLeases;
  /** @deprecated Use `limitUsd`. */
  readonly total: number;
  /** @deprecated Use `usedUsd`. */
  readonly used: number;
  /** @deprecated Use `remainingUsd`. */
  readonly remaining: number;
  /** @deprecated Use `reservedUsd`. */
  readonly reserved: number;
  /** @deprecated Use `projectedUsd`. */
  readonly projectedCost: number;
  /** @deprecated Use `limitNano`, `usedNano`, `remainingNano`, `reservedNano` and `projectedNano`. */
  readonly nano: {
    readonly limit: NanoUsd;
    readonly used: NanoUsd;
    readonly remaining: NanoUsd;
    readonly reserved: NanoUsd;
    readonly projected: NanoUsd;
  };
}

/** A status's own fields: the deprecated names are served by its prototype. */
export type BudgetStatusFields = Omit<
  BudgetStatus,
  'total' | 'used' | 'remaining' | 'reserved' | 'projectedCost' | 'nano'
>;

const BUDGET_STATUS = renamedFields<BudgetStatus>('BudgetStatus', {
  total: 'limitUsd',
  used: 'usedUsd',
  remaining: 'remainingUsd',
  reserved: 'reservedUsd',
  projectedCost: 'projectedUsd',
});
Object.defineProperty(BUDGET_STATUS.prototype, 'nano', {
  configurable: true,
  enumerable: false,
  get(this: BudgetStatusFields) {
    warnRenamed('BudgetStatus.nano', 'limitNano, usedNano, remainingNano, reservedNano and projectedNano');
    return {
      limit: this.limitNano,
      used: this.usedNano,
      remaining: this.remainingNano,
      reserved: this.reservedNano,
      projected: this.projectedNano,
    };
  },
});

/** A status with its fields, and the old names for one minor version. */
export function budgetStatusOf(fields: BudgetStatusFields): BudgetStatus {
  return Object.assign(new BUDGET_STATUS(), fields);
}
