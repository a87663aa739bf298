import type { CostStrategy, NanoUsd, RollupDimension, RollupMeasure, ServiceType } from '@tollgate/core';
import type { BudgetsJson } from './budgets-json';
import type { MoneyJson } from './money-json';
import type { StatusJson } from './status-json';

/**
 * The documented shape of `tollgate report --json` (README, "JSON output"). Fields are
 * only ever added; a breaking change bumps `schemaVersion`.
 */
export interface ReportJson {
  readonly schemaVersion: 1;
  /** ISO 8601, the command's clock. */
  readonly generatedAt: string;
  /** The store read, credentials hidden. */
  readonly store: string;
  readonly range: {
    readonly fromDay: string;
    readonly toDay: string;
    readonly days: number;
    /** The time zone report days are cut in. */
    readonly timeZone: string;
  };
  readonly total: {
    readonly costUsd: number;
    readonly costNano: NanoUsd;
    /** @deprecated Use `costUsd` and `costNano`; removed in the next minor version. */
    readonly cost: MoneyJson;
    readonly usage: UsageJson;
  };
  readonly strategy: CostStrategy;
  /** The budgets shown, and where they come from (the store, the config file, or none). */
  readonly budgets: BudgetsJson;
  /** Global and pinned budgets, and every scope value of the others with spend this period. */
  readonly statuses: readonly StatusJson[];
  /** Every day of the range, oldest first, days without spend included. */
  readonly daily: readonly DailyJson[];
  readonly breakdowns: readonly BreakdownJson[];
  readonly recommendations: readonly RecommendationJson[];
  /** Every what-if saving found, largest first (the recommendations carry the top three). */
  readonly savings: readonly SavingsJson[];
}

/** The rollup measures other than cost, with core's names. */
export type UsageJson = Readonly<Record<Exclude<RollupMeasure, 'cost'>, number>>;

export interface DailyJson {
  readonly day: string;
  readonly costUsd: number;
  readonly costNano: NanoUsd;
  /** @deprecated Use `costUsd` and `costNano`; removed in the next minor version. */
  readonly cost: MoneyJson;
  readonly requests: number;
}

export interface BreakdownJson {
  /** Core's dimension names: `provider`, `model`, `service`, `day`, `requestType`, `userId`, `projectId`. */
  readonly by: readonly RollupDimension[];
  /** Highest cost first (oldest day first for a breakdown by day alone). */
  readonly groups: readonly BreakdownGroupJson[];
}

export interface BreakdownGroupJson {
  /** The group's value for each dimension; null for calls without a user or project. */
  readonly key: Readonly<Partial<Record<RollupDimension, string | null>>>;
  readonly costUsd: number;
  readonly costNano: NanoUsd;
  /** @deprecated Use `costUsd` and `costNano`; removed in the next minor version. */
  readonly cost: MoneyJson;
  /** Share of the range's total cost, 0–1. */
  readonly share: number;
  readonly usage: UsageJson;
}

export interface RecommendationJson {
  readonly kind: 'urgent' | 'top-provider' | 'projection' | 'savings';
  readonly severity: 'urgent' | 'warning' | 'info';
  readonly message: string;
  readonly budgetId: string | null;
  readonly savings: SavingsJson | null;
}

export interface SavingsJson {
  readonly requestType: string;
  readonly service: ServiceType;
  readonly from: { readonly provider: string; readonly model: string; readonly tier: number };
  readonly to: { readonly provider: string; readonly model: string; readonly tier: number };
  readonly kind: 'same-tier' | 'one-tier-down';
  readonly actualCostUsd: number;
  readonly actualCostNano: NanoUsd;
  readonly replayedCostUsd: number;
  readonly replayedCostNano: NanoUsd;
  readonly savingUsd: number;
  readonly savingNano: NanoUsd;
  /** @deprecated Use `actualCostUsd` and `actualCostNano`; removed in the next minor version. */
  readonly actualCost: MoneyJson;
  /** @deprecated Use `replayedCostUsd` and `replayedCostNano`; removed in the next minor version. */
  readonly replayedCost: MoneyJson;
  /** @deprecated Use `savingUsd` and `savingNano`; removed in the next minor version. */
  readonly saving: MoneyJson;
  readonly requests: number;
  readonly days: number;
  /** Why the replay is only approximate, or null when it is exact. */
  readonly approximate: string | null;
  readonly message: string;
}
