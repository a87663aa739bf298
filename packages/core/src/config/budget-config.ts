import { ValidationError } from '../errors/validation-error';
import {
  orDefault,
  validateId,
  validateOneOf,
  validatePlainObject,
  validateQuantity,
} from '../errors/validation';
import { type NanoUsd, usdToNano } from '../money/money';
import { type AlertLevel, type AlertThresholds, DEFAULT_THRESHOLDS } from '../alerts/alert-level';
import { isValidTimeZone, PERIODS, type Period } from '../budget/period';

/** Built-in scopes; any other key-like string is a custom scope read from `context.attributes`. */
export type BudgetScope = 'global' | 'project' | 'user' | 'tag' | (string & {});

export interface BudgetConfig {
  id: string;
  limitUsd: number;
  /** Default `month`. */
  period?: Period;
  /** IANA time zone of the period's calendar. Default `UTC`. */
  timeZone?: string;
  /** Default `global`: one counter for the whole app. `user`, `project`, `tag` or a custom key: one counter per value. */
  scope?: BudgetScope;
  /** Limit the budget to one value of its scope (one user, one project, one tag) instead of one counter per value. */
  scopeValue?: string;
  thresholds?: Partial<AlertThresholds>;
  /** Share of the limit (percent) that must stay unspent: remaining − cost ≥ buffer. Default 0. */
  bufferPercent?: number;
  /** Largest single call allowed at RED and CRITICAL, in USD. Default $0.05 and $0.01; `false` turns them off. */
  perCallCapsUsd?: { red?: number; critical?: number } | false;
}

export interface NormalizedBudget {
  readonly id: string;
  readonly limit: NanoUsd;
  readonly period: Period;
  readonly timeZone: string;
  readonly scope: BudgetScope;
  readonly scopeValue?: string;
  readonly thresholds: AlertThresholds;
  readonly buffer: NanoUsd;
  readonly perCallCaps: Partial<Record<AlertLevel, NanoUsd>>;
}

export const DEFAULT_BUDGET: BudgetConfig = { id: 'default', limitUsd: 30, period: 'month', timeZone: 'UTC' };
const MAX_LIMIT_USD = 1_000_000;

export function normalizeBudget(config: BudgetConfig, index: number): NormalizedBudget {
  const field = `budgets[${index}]`;
  validatePlainObject(config, field);
  const id = validateId(config.id, `${field}.id`, { key: true });
  const limitUsd = validateQuantity(config.limitUsd, `${field}.limitUsd`, MAX_LIMIT_USD);
  const timeZone = orDefault(config.timeZone, 'UTC');
  if (typeof timeZone !== 'string' || !isValidTimeZone(timeZone)) {
    throw new ValidationError({
      field: `${field}.timeZone`,
      message: 'must be an IANA time zone such as "Europe/Paris"',
    });
  }
  const thresholds = {
    ...DEFAULT_THRESHOLDS,
    ...(config.thresholds === undefined ? {} : validatePlainObject(config.thresholds, `${field}.thresholds`)),
  };
  for (const name of ['yellow', 'orange', 'red', 'critical'] as const) {
    validateQuantity(thresholds[name], `${field}.thresholds.${name}`, 10);
  }
  if (
    !(
      thresholds.yellow <= thresholds.orange &&
      thresholds.orange <= thresholds.red &&
      thresholds.red <= thresholds.critical
    )
  ) {
    throw new ValidationError({
      field: `${field}.thresholds`,
      message: 'must increase from yellow to critical',
    });
  }
  const bufferPercent = validateQuantity(orDefault(config.bufferPercent, 0), `${field}.bufferPercent`, 100);
  const limit = usdToNano(limitUsd);
  const caps =
    config.perCallCapsUsd === false
      ? {}
      : {
          red: 0.05,
          critical: 0.01,
          ...(config.perCallCapsUsd === undefined
            ? {}
            : validatePlainObject(config.perCallCapsUsd, `${field}.perCallCapsUsd`)),
        };
  const perCallCaps: Partial<Record<AlertLevel, NanoUsd>> = {};
  if ('red' in caps && caps.red !== undefined)
    perCallCaps.RED = usdToNano(validateQuantity(caps.red, `${field}.perCallCapsUsd.red`));
  if ('critical' in caps && caps.critical !== undefined) {
    perCallCaps.CRITICAL = usdToNano(validateQuantity(caps.critical, `${field}.perCallCapsUsd.critical`));
  }
  return {
    id,
    limit,
    period: validateOneOf(orDefault<unknown>(config.period, 'month'), `${field}.period`, PERIODS),
    timeZone,
    scope: validateId(orDefault<unknown>(config.scope, 'global'), `${field}.scope`, { key: true }),
    ...(config.scopeValue === undefined
      ? {}
      : { scopeValue: validateId(config.scopeValue, `${field}.scopeValue`) }),
    thresholds,
    buffer: Math.round((limit * bufferPercent) / 100),
    perCallCaps,
  };
}
