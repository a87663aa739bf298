import { rejectUnknownKeys } from '../errors/reject-unknown-keys';
import { validateCount, validateDate, validateId, validatePlainObject } from '../errors/validation';
import { ValidationError } from '../errors/validation-error';
import type { BoundedStore } from '../store/bounded-store';
import {
  ROLLUP_DIMENSIONS,
  type RecordQuery,
  type RollupDimension,
  type UsageRecord,
} from '../store/store-contract';
import { decodeRecordCursor, encodeRecordCursor } from './record-cursor';

/** A record field `records()` can filter on by exact match. */
export type RecordFilterField = Exclude<RollupDimension, 'day'>;

/** Which records `records()` reads: a time range, exact-match filters and a page. */
export interface RecordsOptions {
  /** The earliest record (inclusive): a Date or ms since epoch. */
  from?: Date | number;
  /** Records before this time (exclusive): a Date or ms since epoch. */
  to?: Date | number;
  /** Exact-match filters on the record's provider, model, catalog model, service, request type, user or project. */
  where?: Partial<Record<RecordFilterField, string>>;
  /** Records per page, 1–1,000. Default 100. */
  limit?: number;
  /** The `next` cursor of the previous page. */
  after?: string;
}

/** One page of usage records and the cursor to the next. */
export interface RecordPage {
  /** In time order (timestamp, then request id). */
  readonly records: readonly UsageRecord[];
  /** Pass as `after` for the next page; undefined on the last page. */
  readonly next: string | undefined;
}

const OPTIONS = ['from', 'to', 'where', 'limit', 'after'] as const;
const FILTER_FIELDS = ROLLUP_DIMENSIONS.filter(
  (dimension): dimension is RecordFilterField => dimension !== 'day',
);
const DEFAULT_LIMIT = 100;
export const MAX_RECORDS_PER_PAGE = 1_000;

/** One page of the records of every call, in time order, read through the store's index. */
export async function readRecords(store: BoundedStore, options: RecordsOptions = {}): Promise<RecordPage> {
  const query = recordQueryOf(options);
  // One more than asked: whether another page follows, without a read that comes back empty.
  const found = await store.readRecords({ ...query, limit: query.limit + 1 });
  const records = found.slice(0, query.limit);
  const last = records[records.length - 1];
  return {
    records,
    next:
      found.length > query.limit && last
        ? encodeRecordCursor({ timestamp: last.timestamp, requestId: last.requestId })
        : undefined,
  };
}

function recordQueryOf(options: RecordsOptions): RecordQuery {
  validatePlainObject(options, 'options');
  rejectUnknownKeys(options, OPTIONS, 'options');
  const from = options.from === undefined ? undefined : timeOf(options.from, 'from');
  const to = options.to === undefined ? undefined : timeOf(options.to, 'to');
  if (from !== undefined && to !== undefined && from > to)
    throw new ValidationError({ field: 'from', message: 'must not be after `to`' });
  const limit = options.limit === undefined ? DEFAULT_LIMIT : validateCount(options.limit, 'limit');
  if (limit < 1 || limit > MAX_RECORDS_PER_PAGE)
    throw new ValidationError({ field: 'limit', message: `must be from 1 to ${MAX_RECORDS_PER_PAGE}` });
  const query: { -readonly [K in keyof RecordQuery]: RecordQuery[K] } = { limit };
  if (from !== undefined) query.from = from;
  if (to !== undefined) query.to = to;
  if (options.after !== undefined) query.after = decodeRecordCursor(options.after, 'after');
  if (options.where !== undefined) {
    const where = validatePlainObject(options.where, 'where');
    rejectUnknownKeys(where, FILTER_FIELDS, 'where');
    const checked: Partial<Record<RecordFilterField, string>> = {};
    for (const field of FILTER_FIELDS)
      if (where[field] !== undefined) checked[field] = validateId(where[field], `where.${field}`);
    query.where = checked;
  }
  return query;
}

function timeOf(value: unknown, field: string): number {
  if (value instanceof Date) return validateDate(value, field).getTime();
  if (typeof value === 'number') return validateCount(value, field, 8.64e15);
  throw new ValidationError({ field, message: 'must be a Date or a number of ms since epoch' });
}
