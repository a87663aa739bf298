import {
  ROLLUP_DIMENSIONS,
  ROLLUP_MEASURES,
  type RollupDimension,
  type RollupMeasure,
  type RollupRow,
  type UsageRecord,
  rollupMeasuresOf,
} from '@tollgate/core';
import type { Long } from 'mongodb';
import { int64, numberOf } from './bson-number';

/** The daily sums of every record with the same day and dimensions, kept with `$inc` on commit. */
export type RollupDocument = { _id: string; applied?: string[] } & Record<RollupDimension, string> &
  Record<RollupMeasure, Long | number>;

export type RollupMeasures = Record<RollupMeasure, number>;

export function rollupDimensionsOf(record: UsageRecord): Record<RollupDimension, string> {
  return {
    day: record.day,
    provider: record.provider,
    model: record.model,
    catalogModel: record.catalogModel,
    service: record.service,
    requestType: record.requestType,
    userId: record.userId ?? '',
    projectId: record.projectId ?? '',
  };
}

export { rollupMeasuresOf };

/** `$inc` of every measure: one upsert adds a record (or a batch of them) to its row. */
export function rollupIncrementOf(measures: RollupMeasures): Record<RollupMeasure, Long> {
  const increment = {} as Record<RollupMeasure, Long>;
  for (const measure of ROLLUP_MEASURES) increment[measure] = int64(measures[measure]);
  return increment;
}

/** A rollup document as a row; one written before the catalog model was a dimension has its model as catalog model. */
export function rollupRowOf(document: RollupDocument): RollupRow {
  const row = {} as Record<string, string | number>;
  for (const dimension of ROLLUP_DIMENSIONS) row[dimension] = String(document[dimension] ?? '');
  if (typeof document.catalogModel !== 'string') row.catalogModel = row.model!;
  for (const measure of ROLLUP_MEASURES) row[measure] = numberOf(document[measure]);
  return row as RollupRow;
}
