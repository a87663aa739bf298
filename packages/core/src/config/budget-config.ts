import { ValidationError } from '../errors/validation-error';
import { orDefault, validateId, validatePlainObject, validateQuantity } from '../errors/validation';
import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys';
import { type NanoUsd, usdToNano } from '../money/money';
import type { AlertLevel, AlertThresholds } from '../alerts/alert-level';
import { type Period, validatePeriod, validateTimeZone } from '../budget/period';
import { renamedFields } from '../deprecation/renamed-fields';
import { type BudgetScope, normalizeScope } from './budget-scope';
import { normalizeThresholds } from './threshold-config';

export type { BudgetScope } from './budget-scope';

/** One budget as the app defines it: its id, limit, period, time zone and scope. */
export interface BudgetConfig {
  id: string;
  limitUsd: number;
  /** Default `month`. */
  period?: Period;
  /** IANA time zone of the period's calendar. Default `UTC`. */
  timeZone?: string;
  /**
   * Default `global`: one counter for the whole app. `user`, `project`, `tag`, or a custom
   * attribute of the call context (`{ attribute: 'tenant' }`): one counter per value.
   */
  scope?: BudgetScope;
  /** Limit the budget to one value of its scope (one user, one project, one tag) instead of one counter per value. */
  scopeValue?: string;
  thresholds?: Partial<AlertThresholds>;
  /** Share of the limit (percent) that must stay unspent: remaining − cost ≥ buffer. Default 0. */
  bufferPercent?: number;
  /** Largest single call allowed at RED and CRITICAL, in USD. Default $0.05 and $0.01; `false` turns them off. */
  perCallCapsUsd?: { red?: number; critical?: number } | false;
}

/** A budget with every default filled in and its limit in nano-USD. */
export interface NormalizedBudget {
  readonly id: string;
  readonly limitNano: NanoUsd;
  readonly period: Period;
  readonly timeZone: string;
  /** `global`, `user`, `project`, `tag`, or the name of a custom attribute (`tenant`). */
  readonly scope: string;
  readonly scopeValue?: string;
  readonly thresholds: AlertThresholds;
  readonly bufferNano: NanoUsd;
  /** A call must cost less than this at that alert level. */
  readonly perCallCapsNano: Partial<Record<AlertLevel, NanoUsd>>;
  /** @deprecated Use `limitNano`. */
  readonly limit: NanoUsd;
  /** @deprecated Use `bufferNano`. */
  readonly buffer: NanoUsd;
  /** @deprecated Use `perCallCapsNano`. */
  readonly perCallCaps: Partial<Record<AlertLevel, NanoUsd>>;
}

export const DEFAULT_BUDGET: BudgetConfig = { id: 'default', limitUsd: 30, period: 'month', timeZone: 'UTC' };
const MAX_LIMIT_USD = 1_000_000;
const BUDGET_CONFIG_KEYS = optionKeys<BudgetConfig>({
  id: true,
  limitUsd: true,
  period: true,
  timeZone: true,
  scope: true,
  scopeValue: true,
  thresholds: true,
  bufferPercent: true,
  perCallCapsUsd: true,
});
const PER_CALL_CAP_KEYS = ['red', 'critical'];
const NORMALIZED_BUDGET = renamedFields<NormalizedBudget>('NormalizedBudget', {
  limit: 'limitNano',
  buffer: 'bufferNano',
  perCallCaps: 'perCallCapsNano',
});

export function normalizeBudget(config: BudgetConfig, index: number): NormalizedBudget {
  const field = `budgets[${index}]`;
  validatePlainObject(config, field);
  rejectUnknownKeys(config, BUDGET_CONFIG_KEYS, field);
  const id = validateId(config.id, `${field}.id`, { key: true });
  const limitUsd = validateQuantity(config.limitUsd, `${field}.limitUsd`, MAX_LIMIT_USD);
  if (limitUsd > 0 && usdToNano(limitUsd) === 0)
    throw new ValidationError({
      field: `${field}.limitUsd`,
      message: `must be 0 or at least 0.000000001 (one nano-USD, the smallest amount kept), got ${limitUsd}`,
    });
  const timeZone = validateTimeZone(orDefault<unknown>(config.timeZone, 'UTC'), `${field}.timeZone`);
  const thresholds = normalizeThresholds(config.thresholds, `${field}.thresholds`);
  const bufferPercent = validateQuantity(orDefault(config.bufferPercent, 0), `${field}.bufferPercent`, 100);
  const limit = usdToNano(limitUsd);
  const givenCaps =
    config.perCallCapsUsd === false || config.perCallCapsUsd === undefined
      ? {}
      : validatePlainObject(config.perCallCapsUsd, `${field}.perCallCapsUsd`);
  rejectUnknownKeys(givenCaps, PER_CALL_CAP_KEYS, `${field}.perCallCapsUsd`);
  const caps = config.perCallCapsUsd === false ? {} : { red: 0.05, critical: 0.01, ...givenCaps };
  const perCallCaps: Partial<Record<AlertLevel, NanoUsd>> = {};
  if ('red' in caps && caps.red !== undefined)
    perCallCaps.RED = usdToNano(validateQuantity(caps.red, `${field}.perCallCapsUsd.red`));
  if ('critical' in caps && caps.critical !== undefined) {
    perCallCaps.CRITICAL = usdToNano(validateQuantity(caps.critical, `${field}.perCallCapsUsd.critical`));
  }
  const scopeValue =
    config.scopeValue === undefined ? undefined : validateId(config.scopeValue, `${field}.scopeValue`);
  const budget: { -readonly [K in keyof NormalizedBudget]?: NormalizedBudget[K] } = new NORMALIZED_BUDGET();
  budget.id = id;
  budget.limitNano = limit;
  budget.period = validatePeriod(orDefault<unknown>(config.period, 'month'), `${field}.period`);
  budget.timeZone = timeZone;
  budget.scope = normalizeScope(config.scope, `${field}.scope`);
  if (scopeValue !== undefined) budget.scopeValue = scopeValue;
  budget.thresholds = thresholds;
  budget.bufferNano = Math.round((limit * bufferPercent) / 100);
  budget.perCallCapsNano = perCallCaps;
  return budget as NormalizedBudget;
}
