import type { BudgetManager, NanoUsd, Period } from '@tollgate/core';
import type { BudgetSource, BudgetsInUse } from '../config/budgets-in-use';
import { type MoneyJson, moneyJson } from './money-json';

/** The budgets a `status` or `report` shows, and where they come from. */
export interface BudgetsJson {
  /** `store`: as the app saved them; `config`: the config file's, which override the store's; `none`: none defined. */
  readonly source: BudgetSource;
  readonly definitions: readonly BudgetDefinitionJson[];
}

export interface BudgetDefinitionJson {
  readonly id: string;
  readonly limitUsd: number;
  readonly limitNano: NanoUsd;
  /** @deprecated Use `limitUsd` and `limitNano`; removed in the next minor version. */
  readonly limit: MoneyJson;
  readonly period: Period;
  readonly timeZone: string;
  /** `global`, `user`, `project`, `tag` or a custom attribute. */
  readonly scope: string;
  readonly scopeValue: string | null;
  /** When the app last saved it (ISO 8601); null for a budget from the config file. */
  readonly definedAt: string | null;
  /**
   * A config's budget the app never ran: the spend of its current period that its counters do not
   * hold, so `used` leaves it out (0 when there is none); null for a budget the app saved.
   */
  readonly uncountedNano: NanoUsd | null;
}

export function budgetsJson(budget: BudgetManager, inUse: BudgetsInUse): BudgetsJson {
  if (inUse.source === 'none') return { source: 'none', definitions: [] };
  return {
    source: inUse.source,
    definitions: budget.budgets.map((definition) => {
      const definedAt = inUse.definedAt.get(definition.id);
      return {
        id: definition.id,
        limitUsd: moneyJson(definition.limitNano).usd,
        limitNano: definition.limitNano,
        limit: moneyJson(definition.limitNano),
        period: definition.period,
        timeZone: definition.timeZone,
        scope: definition.scope,
        scopeValue: definition.scopeValue ?? null,
        definedAt: definedAt === undefined ? null : new Date(definedAt).toISOString(),
        uncountedNano: inUse.source === 'config' ? (inUse.uncounted?.get(definition.id) ?? 0) : null,
      };
    }),
  };
}
