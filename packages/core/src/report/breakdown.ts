import { nanoToUsd, type NanoUsd } from '../money/money';
import {
  ROLLUP_MEASURES,
  type RollupDimension,
  type RollupMeasure,
  type RollupRow,
} from '../store/store-contract';

export interface BreakdownGroup {
  /** The group's value for each requested dimension. */
  readonly key: Readonly<Partial<Record<RollupDimension, string>>>;
  readonly cost: NanoUsd;
  readonly costUsd: number;
  /** Share of the total cost, 0–1. */
  readonly share: number;
  readonly measures: Readonly<Record<RollupMeasure, number>>;
}

export interface Breakdown {
  readonly by: readonly RollupDimension[];
  readonly fromDay: string;
  readonly toDay: string;
  readonly total: Readonly<Record<RollupMeasure, number>> & { readonly costUsd: number };
  /** Sorted by cost, highest first (by day ascending when grouped by day alone). */
  readonly groups: readonly BreakdownGroup[];
}

/** Groups daily rollup rows by any combination of dimensions. */
export function groupRollups(
  rows: readonly RollupRow[],
  by: readonly RollupDimension[],
  fromDay: string,
  toDay: string,
): Breakdown {
  const groups = new Map<
    string,
    { key: Partial<Record<RollupDimension, string>>; measures: Record<RollupMeasure, number> }
  >();
  const total = emptyMeasures();
  for (const row of rows) {
    const key: Partial<Record<RollupDimension, string>> = {};
    for (const dimension of by) key[dimension] = row[dimension];
    const id = by.map((dimension) => row[dimension]).join('\u0000');
    let group = groups.get(id);
    if (!group) {
      group = { key, measures: emptyMeasures() };
      groups.set(id, group);
    }
    for (const measure of ROLLUP_MEASURES) {
      group.measures[measure] += row[measure];
      total[measure] += row[measure];
    }
  }
  const byDayOnly = by.length === 1 && by[0] === 'day';
  const list = [...groups.values()].map(({ key, measures }) => ({
    key,
    cost: measures.cost,
    costUsd: nanoToUsd(measures.cost),
    share: total.cost > 0 ? measures.cost / total.cost : 0,
    measures,
  }));
  list.sort((a, b) => (byDayOnly ? (a.key.day! < b.key.day! ? -1 : 1) : b.cost - a.cost));
  return { by, fromDay, toDay, total: { ...total, costUsd: nanoToUsd(total.cost) }, groups: list };
}

function emptyMeasures(): Record<RollupMeasure, number> {
  return Object.fromEntries(ROLLUP_MEASURES.map((measure) => [measure, 0])) as Record<RollupMeasure, number>;
}
