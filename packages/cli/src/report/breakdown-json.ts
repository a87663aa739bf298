import { type Breakdown, ROLLUP_MEASURES, type RollupDimension, type RollupMeasure } from '@tollgate/core';
import { moneyJson } from './money-json';
import type { BreakdownJson, UsageJson } from './report-json';

const USAGE_MEASURES = ROLLUP_MEASURES.filter(
  (measure): measure is Exclude<RollupMeasure, 'cost'> => measure !== 'cost',
);
// Stores keep a missing user or project id as the empty string.
const OPTIONAL_DIMENSIONS: ReadonlySet<RollupDimension> = new Set(['userId', 'projectId']);

export function usageJson(measures: Readonly<Record<RollupMeasure, number>>): UsageJson {
  return Object.fromEntries(USAGE_MEASURES.map((measure) => [measure, measures[measure]])) as UsageJson;
}

export function breakdownJson(breakdown: Breakdown): BreakdownJson {
  return {
    by: [...breakdown.by],
    groups: breakdown.groups.map((group) => ({
      key: Object.fromEntries(
        breakdown.by.map((dimension) => {
          const value = group.key[dimension] ?? '';
          return [dimension, value === '' && OPTIONAL_DIMENSIONS.has(dimension) ? null : value];
        }),
      ),
      costUsd: group.costUsd,
      costNano: group.costNano,
      cost: moneyJson(group.costNano),
      share: group.share,
      usage: usageJson(group.measures),
    })),
  };
}
