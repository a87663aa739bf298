import type { AlertThresholds } from '../alerts/alert-level';
import type { BudgetConfig, NormalizedBudget } from '../config/budget-config';
import { scopeConfigOf } from '../config/budget-scope';
import { validateId, validateOneOf, validatePlainObject, validateQuantity } from '../errors/validation';
import { ValidationError } from '../errors/validation-error';
import { type NanoUsd, nanoToUsd } from '../money/money';
import type { BudgetDefinition } from '../store/store-contract';
import { PERIODS, validateTimeZone } from './period';

/** $1,000,000, the largest limit a budget may have, in nano-USD. */
const MAX_LIMIT_NANO = 1_000_000_000_000_000;

/** The form a budget is saved in: every default filled in, every amount in nano-USD. */
export function budgetDefinitionOf(budget: NormalizedBudget, reportTimeZone?: string): BudgetDefinition {
  const perCallCapsNano: { red?: NanoUsd; critical?: NanoUsd } = {};
  if (budget.perCallCapsNano.RED !== undefined) perCallCapsNano.red = budget.perCallCapsNano.RED;
  if (budget.perCallCapsNano.CRITICAL !== undefined)
    perCallCapsNano.critical = budget.perCallCapsNano.CRITICAL;
  return {
    id: budget.id,
    limitNano: budget.limitNano,
    period: budget.period,
    timeZone: budget.timeZone,
    scope: budget.scope,
    ...(budget.scopeValue === undefined ? {} : { scopeValue: budget.scopeValue }),
    thresholds: { ...budget.thresholds },
    bufferNano: budget.bufferNano,
    perCallCapsNano,
    ...(reportTimeZone === undefined ? {} : { reportTimeZone }),
  };
}

/**
 * The `createBudget` config of a saved definition, so a reader (the CLI, a dashboard) enforces and
 * reports the same budget: normalizing it gives back the definition exactly (the buffer is written
 * as a percentage whose rounding lands on the same nano-USD).
 */
export function budgetConfigOf(definition: BudgetDefinition): BudgetConfig {
  const { perCallCapsNano: caps } = definition;
  const hasCaps = caps.red !== undefined || caps.critical !== undefined;
  return {
    id: definition.id,
    limitUsd: nanoToUsd(definition.limitNano),
    period: definition.period,
    timeZone: definition.timeZone,
    scope: scopeConfigOf(definition.scope),
    ...(definition.scopeValue === undefined ? {} : { scopeValue: definition.scopeValue }),
    thresholds: { ...definition.thresholds },
    bufferPercent: bufferPercentOf(definition),
    // A level left out of the caps keeps no default: `undefined` there means no cap at that level.
    perCallCapsUsd: hasCaps
      ? {
          red: caps.red === undefined ? undefined : nanoToUsd(caps.red),
          critical: caps.critical === undefined ? undefined : nanoToUsd(caps.critical),
        }
      : false,
  };
}

/**
 * The buffer as the share of the limit that `normalizeBudget` rounds back to the same nano-USD: the
 * four float roundings on the way there and back err by at most 4.4e-16 × buffer, under half a
 * nano-USD for any buffer up to the $1,000,000 limit (the property test checks it).
 */
function bufferPercentOf({ bufferNano, limitNano }: BudgetDefinition): number {
  if (limitNano === 0 || bufferNano === 0) return 0;
  if (bufferNano >= limitNano) return 100;
  return Math.min(100, (bufferNano / limitNano) * 100);
}

/**
 * Checks a definition handed to a store or read back from one, and rebuilds it from the checked
 * fields only (anything else it carries is dropped).
 */
export function validateBudgetDefinition(value: unknown, field: string): BudgetDefinition {
  const definition = validatePlainObject(value, field);
  const limitNano = validateNano(definition.limitNano, `${field}.limitNano`, MAX_LIMIT_NANO);
  const timeZone = validateTimeZone(definition.timeZone, `${field}.timeZone`);
  const caps = validatePlainObject(definition.perCallCapsNano, `${field}.perCallCapsNano`);
  const perCallCapsNano: { red?: NanoUsd; critical?: NanoUsd } = {};
  if (caps.red !== undefined) perCallCapsNano.red = validateNano(caps.red, `${field}.perCallCapsNano.red`);
  if (caps.critical !== undefined)
    perCallCapsNano.critical = validateNano(caps.critical, `${field}.perCallCapsNano.critical`);
  return {
    id: validateId(definition.id, `${field}.id`, { key: true }),
    limitNano,
    period: validateOneOf(definition.period, `${field}.period`, PERIODS),
    timeZone,
    scope: validateId(definition.scope, `${field}.scope`, { key: true }),
    ...(definition.scopeValue === undefined
      ? {}
      : { scopeValue: validateId(definition.scopeValue, `${field}.scopeValue`) }),
    thresholds: validateThresholds(definition.thresholds, `${field}.thresholds`),
    bufferNano: validateNano(definition.bufferNano, `${field}.bufferNano`, limitNano),
    perCallCapsNano,
    ...(definition.reportTimeZone === undefined
      ? {}
      : { reportTimeZone: validateTimeZone(definition.reportTimeZone, `${field}.reportTimeZone`) }),
  };
}

function validateThresholds(value: unknown, field: string): AlertThresholds {
  const thresholds = validatePlainObject(value, field);
  const checked = {
    yellow: validateQuantity(thresholds.yellow, `${field}.yellow`, 10),
    orange: validateQuantity(thresholds.orange, `${field}.orange`, 10),
    red: validateQuantity(thresholds.red, `${field}.red`, 10),
    critical: validateQuantity(thresholds.critical, `${field}.critical`, 10),
  };
  if (!(checked.yellow <= checked.orange && checked.orange <= checked.red && checked.red <= checked.critical))
    throw new ValidationError({ field, message: 'must increase from yellow to critical' });
  return checked;
}

function validateNano(value: unknown, field: string, max = Number.MAX_SAFE_INTEGER): NanoUsd {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new ValidationError({ field, message: 'must be a whole, non-negative number of nano-USD' });
  if (value > max) throw new ValidationError({ field, message: `must be at most ${max}` });
  return value;
}
