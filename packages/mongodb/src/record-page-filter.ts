import type { RecordQuery } from '@tollgate/core';
import type { Filter } from 'mongodb';
import type { UsageDocument } from './usage-document';

/**
 * The filter of one page of records, for a query already checked (strings and integers only).
 * The index `{ timestamp: 1, _id: 1 }` is walked from the start of the page: the timestamp bound
 * is a range on its first key, and the records of that same timestamp up to the position are
 * skipped by the `$or` (only the ties of one millisecond).
 */
export function recordPageFilterOf(query: RecordQuery): Filter<UsageDocument> {
  const { after, from } = query;
  const conditions: Filter<UsageDocument>[] = [];
  const timestamp: { $gte?: number; $lt?: number } = {};
  if (after !== undefined && (from === undefined || after.timestamp >= from)) {
    timestamp.$gte = after.timestamp;
    conditions.push({ $or: [{ timestamp: { $gt: after.timestamp } }, { _id: { $gt: after.requestId } }] });
  } else if (from !== undefined) timestamp.$gte = from;
  if (query.to !== undefined) timestamp.$lt = query.to;
  const { catalogModel, ...where } = query.where ?? {};
  // A usage written before v2 has no catalog model: its model is the catalog id.
  if (catalogModel !== undefined)
    conditions.push({
      $or: [{ catalogModel }, { catalogModel: { $exists: false }, model: catalogModel }],
    });
  return {
    ...(Object.keys(timestamp).length > 0 ? { timestamp } : {}),
    ...where,
    ...(conditions.length > 0 ? { $and: conditions } : {}),
  } as Filter<UsageDocument>;
}
