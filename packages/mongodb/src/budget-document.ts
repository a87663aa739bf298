import {
  type BudgetDefinition,
  type StoredBudgetDefinition,
  TollgateError,
  ValidationError,
  validateBudgetDefinition,
} from '@tollgate/core';
import { Long } from 'mongodb';
import { numberOf } from './bson-number';

/** One budget definition as an app saved it, under its budget id. */
export interface BudgetDocument {
  _id: string;
  definition: BudgetDefinition;
  definedAt: number;
}

/** The document of a checked definition: built field by field, so nothing else reaches the store. */
export function budgetDocumentOf(definition: BudgetDefinition, now: number): BudgetDocument {
  const caps = definition.perCallCapsNano;
  return {
    _id: definition.id,
    definition: {
      id: definition.id,
      limitNano: definition.limitNano,
      period: definition.period,
      timeZone: definition.timeZone,
      scope: definition.scope,
      ...(definition.scopeValue === undefined ? {} : { scopeValue: definition.scopeValue }),
      thresholds: {
        yellow: definition.thresholds.yellow,
        orange: definition.thresholds.orange,
        red: definition.thresholds.red,
        critical: definition.thresholds.critical,
      },
      bufferNano: definition.bufferNano,
      perCallCapsNano: {
        ...(caps.red === undefined ? {} : { red: caps.red }),
        ...(caps.critical === undefined ? {} : { critical: caps.critical }),
      },
      ...(definition.reportTimeZone === undefined ? {} : { reportTimeZone: definition.reportTimeZone }),
    },
    definedAt: now,
  };
}

/** A stored definition, checked as it is read back (amounts may come back as Int64). */
export function storedBudgetOf(document: BudgetDocument): StoredBudgetDefinition {
  const stored = document.definition as unknown as Record<string, unknown> | null;
  if (stored === null || typeof stored !== 'object')
    throw new TollgateError(`The saved definition of budget ${String(document._id)} is not a document.`);
  try {
    return {
      ...validateBudgetDefinition(
        {
          ...stored,
          limitNano: numeric(stored.limitNano),
          bufferNano: numeric(stored.bufferNano),
          thresholds: numericFields(stored.thresholds),
          perCallCapsNano: numericFields(stored.perCallCapsNano),
        },
        'definition',
      ),
      definedAt: numeric(document.definedAt) as number,
    };
  } catch (error) {
    if (ValidationError.isInstance(error))
      throw new TollgateError(
        `The saved definition of budget ${String(document._id)} is not valid: ${error.message}`,
        {
          cause: error,
        },
      );
    throw error;
  }
}

/** A number as the driver returned it (Int64, Double wrapper, bigint) as a number; anything else as it is, for the check to refuse. */
function numeric(value: unknown): unknown {
  if (typeof value === 'bigint' || value instanceof Long) return numberOf(value);
  if (value !== null && typeof value === 'object') {
    const primitive = (value as { valueOf(): unknown }).valueOf();
    if (typeof primitive === 'number' || typeof primitive === 'bigint') return Number(primitive);
  }
  return value;
}

function numericFields(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, numeric(field)]));
}
