import {
  type BudgetDefinition,
  type CommitRequest,
  type CounterCharge,
  type CounterKey,
  type CounterLimit,
  type CounterListQuery,
  type DailySpendQuery,
  MAX_ID_LENGTH,
  MAX_RAW_USAGE_LENGTH,
  ROLLUP_DIMENSIONS,
  type RecordQuery,
  type ReserveRequest,
  type RollupDimension,
  type RollupQuery,
  SERVICE_TYPES,
  type ServiceType,
  type UsageRecord,
  ValidationError,
  validateBudgetDefinition,
  validateId,
} from '@tollgate/core';

// Everything a caller hands the store is rebuilt here from checked strings and numbers,
// so no caller-supplied object (and no `$` operator or `__proto__` key in one) can reach a
// MongoDB filter or update.

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_TAGS = 32;
const MAX_COUNTERS = 64;

export function validateDay(value: unknown, field: string): string {
  // The pattern alone lets days that do not exist through (2026-02-30), which would sort among real ones.
  if (
    typeof value !== 'string' ||
    !DAY.test(value) ||
    Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ||
    new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value
  )
    throw new ValidationError({ field, message: 'must be a day written YYYY-MM-DD' });
  return value;
}

/** A whole number of nano-USD, milliseconds or units that a JavaScript number holds exactly. */
export function validateInteger(value: unknown, field: string, options: { min?: number } = {}): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new ValidationError({ field, message: 'must be a safe integer' });
  if (options.min !== undefined && value < options.min)
    throw new ValidationError({ field, message: `must be at least ${options.min}` });
  return value;
}

/** A free-text value that is only ever stored or compared, never used as a key. */
function validateText(value: unknown, field: string, options: { allowEmpty?: boolean } = {}): string {
  if (typeof value !== 'string') throw new ValidationError({ field, message: 'must be a string' });
  if (value.length === 0 && !options.allowEmpty)
    throw new ValidationError({ field, message: 'must not be empty' });
  if (value.length > MAX_ID_LENGTH)
    throw new ValidationError({ field, message: `must be at most ${MAX_ID_LENGTH} characters` });
  return value;
}

function validateObject(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ValidationError({ field, message: 'must be an object' });
  return value as Record<string, unknown>;
}

function validateArray(value: unknown, field: string, max: number): readonly unknown[] {
  if (!Array.isArray(value)) throw new ValidationError({ field, message: 'must be an array' });
  if (value.length > max) throw new ValidationError({ field, message: `must have at most ${max} items` });
  return value;
}

export function validateCounterKey(value: unknown, field: string): CounterKey {
  const key = validateObject(value, field);
  return {
    budgetId: validateId(key.budgetId, `${field}.budgetId`, { key: true }),
    scope: validateId(key.scope, `${field}.scope`),
    period: validateId(key.period, `${field}.period`, { key: true }),
  };
}

export function validateCounterKeys(value: unknown, field: string): CounterKey[] {
  return validateArray(value, field, MAX_COUNTERS).map((key, index) =>
    validateCounterKey(key, `${field}[${index}]`),
  );
}

export function validateCounterLimit(value: unknown, field: string): CounterLimit {
  const limit = validateObject(value, field);
  return {
    ...validateCounterKey(limit, field),
    capacity: validateInteger(limit.capacity, `${field}.capacity`),
    periodEnd: validateInteger(limit.periodEnd, `${field}.periodEnd`),
  };
}

function validateCounterCharge(value: unknown, field: string): CounterCharge {
  const charge = validateObject(value, field);
  return { ...validateCounterKey(charge, field), day: validateDay(charge.day, `${field}.day`) };
}

/** The same counter twice in one request would take (or charge) it twice; no caller needs that. */
function rejectRepeatedCounters(keys: readonly CounterKey[], field: string): void {
  const seen = new Set<string>();
  for (const key of keys) {
    const identity = JSON.stringify([key.budgetId, key.scope, key.period]);
    if (seen.has(identity)) throw new ValidationError({ field, message: 'must not name a counter twice' });
    seen.add(identity);
  }
}

export function validateReserveRequest(value: unknown): ReserveRequest {
  const request = validateObject(value, 'request');
  const counters = validateArray(request.counters, 'request.counters', MAX_COUNTERS).map((limit, index) =>
    validateCounterLimit(limit, `request.counters[${index}]`),
  );
  rejectRepeatedCounters(counters, 'request.counters');
  return {
    reservationId: validateId(request.reservationId, 'request.reservationId'),
    amount: validateInteger(request.amount, 'request.amount', { min: 0 }),
    counters,
    leaseMs: validateInteger(request.leaseMs, 'request.leaseMs', { min: 0 }),
    now: validateInteger(request.now, 'request.now', { min: 0 }),
  };
}

export function validateCommitRequest(value: unknown, field = 'request'): CommitRequest {
  const request = validateObject(value, field);
  const counters = validateArray(request.counters, `${field}.counters`, MAX_COUNTERS).map((charge, index) =>
    validateCounterCharge(charge, `${field}.counters[${index}]`),
  );
  rejectRepeatedCounters(counters, `${field}.counters`);
  return {
    ...(request.reservationId === undefined
      ? {}
      : { reservationId: validateId(request.reservationId, `${field}.reservationId`) }),
    record: validateUsageRecord(request.record, `${field}.record`),
    counters,
    now: validateInteger(request.now, `${field}.now`, { min: 0 }),
  };
}

export function validateUsageRecord(value: unknown, field: string): UsageRecord {
  const record = validateObject(value, field);
  const count = (name: string) => validateInteger(record[name], `${field}.${name}`, { min: 0 });
  if (typeof record.estimated !== 'boolean')
    throw new ValidationError({ field: `${field}.estimated`, message: 'must be a boolean' });
  const tags = validateArray(record.tags, `${field}.tags`, MAX_TAGS).map((tag, index) =>
    validateId(tag, `${field}.tags[${index}]`, { key: true }),
  );
  return {
    requestId: validateId(record.requestId, `${field}.requestId`),
    timestamp: count('timestamp'),
    day: validateDay(record.day, `${field}.day`),
    provider: validateId(record.provider, `${field}.provider`),
    model: validateId(record.model, `${field}.model`),
    ...(record.servedModel === undefined
      ? {}
      : { servedModel: validateId(record.servedModel, `${field}.servedModel`) }),
    catalogModel: validateId(record.catalogModel, `${field}.catalogModel`),
    service: validateService(record.service, `${field}.service`),
    requestType: validateId(record.requestType, `${field}.requestType`, { key: true }),
    ...(record.userId === undefined ? {} : { userId: validateId(record.userId, `${field}.userId`) }),
    ...(record.projectId === undefined
      ? {}
      : { projectId: validateId(record.projectId, `${field}.projectId`) }),
    tags,
    cost: count('cost'),
    reserved: count('reserved'),
    overrun: count('overrun'),
    estimated: record.estimated,
    priceSource: validateText(record.priceSource, `${field}.priceSource`),
    inputTokens: count('inputTokens'),
    cacheReadTokens: count('cacheReadTokens'),
    cacheWriteTokens: count('cacheWriteTokens'),
    outputTokens: count('outputTokens'),
    reasoningTokens: count('reasoningTokens'),
    audioMilliseconds: count('audioMilliseconds'),
    characters: count('characters'),
    images: count('images'),
    pages: count('pages'),
    ...(record.rawUsage === undefined
      ? {}
      : { rawUsage: validateRawUsage(record.rawUsage, `${field}.rawUsage`) }),
  };
}

/** An untrusted usage block kept for audit: any text up to the contract's bound (stored as a string value, never as a key). */
function validateRawUsage(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new ValidationError({ field, message: 'must be a string' });
  if (value.length > MAX_RAW_USAGE_LENGTH)
    throw new ValidationError({ field, message: `must be at most ${MAX_RAW_USAGE_LENGTH} characters` });
  return value;
}

function validateService(value: unknown, field: string): ServiceType {
  if (typeof value !== 'string' || !(SERVICE_TYPES as readonly string[]).includes(value))
    throw new ValidationError({ field, message: `must be one of ${SERVICE_TYPES.join(', ')}` });
  return value as ServiceType;
}

export function validateDailySpendQuery(value: unknown): DailySpendQuery {
  const query = validateObject(value, 'query');
  return {
    budgetId: validateId(query.budgetId, 'query.budgetId', { key: true }),
    scope: validateId(query.scope, 'query.scope'),
    fromDay: validateDay(query.fromDay, 'query.fromDay'),
    toDay: validateDay(query.toDay, 'query.toDay'),
  };
}

type WhereDimension = Exclude<RollupDimension, 'day'>;
const WHERE_DIMENSIONS = ROLLUP_DIMENSIONS.filter(
  (dimension): dimension is WhereDimension => dimension !== 'day',
);

/** Exact-match filters rebuilt from checked strings; '' is a valid filter (rollups store a missing user or project as ''). */
function validateWhere(value: unknown, field: string): Partial<Record<WhereDimension, string>> {
  const where: Partial<Record<WhereDimension, string>> = {};
  if (value === undefined) return where;
  const given = validateObject(value, field);
  for (const key of Object.keys(given)) {
    if (!(WHERE_DIMENSIONS as readonly string[]).includes(key))
      throw new ValidationError({
        field,
        message: `has an unknown dimension (use ${WHERE_DIMENSIONS.join(', ')})`,
      });
  }
  for (const dimension of WHERE_DIMENSIONS) {
    const filter = given[dimension];
    if (filter !== undefined)
      where[dimension] = validateText(filter, `${field}.${dimension}`, { allowEmpty: true });
  }
  return where;
}

export function validateRollupQuery(value: unknown): RollupQuery {
  const query = validateObject(value, 'query');
  return {
    fromDay: validateDay(query.fromDay, 'query.fromDay'),
    toDay: validateDay(query.toDay, 'query.toDay'),
    where: validateWhere(query.where, 'query.where'),
  };
}

const MAX_PAGE = 1_001;

function validatePageLimit(value: unknown, field: string): number {
  const limit = validateInteger(value, field, { min: 1 });
  if (limit > MAX_PAGE) throw new ValidationError({ field, message: `must be at most ${MAX_PAGE}` });
  return limit;
}

export function validateRecordQuery(value: unknown): RecordQuery {
  const query = validateObject(value, 'query');
  let after: RecordQuery['after'];
  if (query.after !== undefined) {
    const position = validateObject(query.after, 'query.after');
    after = {
      timestamp: validateInteger(position.timestamp, 'query.after.timestamp', { min: 0 }),
      requestId: validateId(position.requestId, 'query.after.requestId'),
    };
  }
  return {
    ...(query.from === undefined ? {} : { from: validateInteger(query.from, 'query.from', { min: 0 }) }),
    ...(query.to === undefined ? {} : { to: validateInteger(query.to, 'query.to', { min: 0 }) }),
    where: validateWhere(query.where, 'query.where'),
    ...(after === undefined ? {} : { after }),
    limit: validatePageLimit(query.limit, 'query.limit'),
  };
}

export function validateCounterListQuery(value: unknown): CounterListQuery {
  const query = validateObject(value, 'query');
  return {
    budgetId: validateId(query.budgetId, 'query.budgetId', { key: true }),
    period: validateId(query.period, 'query.period', { key: true }),
    ...(query.afterScope === undefined
      ? {}
      : { afterScope: validateId(query.afterScope, 'query.afterScope') }),
    limit: validatePageLimit(query.limit, 'query.limit'),
    now: validateInteger(query.now, 'query.now', { min: 0 }),
  };
}

export function validateBudgetDefinitions(value: unknown, field: string): BudgetDefinition[] {
  return validateArray(value, field, 1_000).map((definition, index) =>
    validateBudgetDefinition(definition, `${field}[${index}]`),
  );
}
