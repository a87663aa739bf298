import { nanoToUsd, type NanoUsd } from '../money/money';
import { renamedFields } from '../deprecation/renamed-fields';
import {
  ROLLUP_MEASURES,
  type RollupDimension,
  type RollupMeasure,
  type RollupRow,
} from '../store/store-contract';

/** One group of a breakdown: its key (a value per dimension), its cost and share, and its usage sums. */
export interface BreakdownGroup {
  /** The group's value for each requested dimension. */
  readonly key: Readonly<Partial<Record<RollupDimension, string>>>;
  readonly costNano: NanoUsd;
  readonly costUsd: number;
  /** Share of the total cost, 0–1. */
  readonly share: number;
  /** The store's rollup measures summed (their `cost` is nano-USD). */
  readonly measures: Readonly<Record<RollupMeasure, number>>;
  /** @deprecated Use `costNano` (or `costUsd`). */
  readonly cost: NanoUsd;
}

/** Spend grouped by one or more dimensions over a range of days, costliest group first. */
export interface Breakdown {
  readonly by: readonly RollupDimension[];
  readonly fromDay: string;
  readonly toDay: string;
  /** The rollup measures summed over every group (their `cost` is nano-USD), with the cost in both units. */
  readonly total: Readonly<Record<RollupMeasure, number>> & {
    readonly costNano: NanoUsd;
    readonly costUsd: number;
  };
  /** Sorted by cost, highest first (by day ascending when grouped by day alone). */
  readonly groups: readonly BreakdownGroup[];
}

const BREAKDOWN_GROUP = renamedFields<BreakdownGroup>('BreakdownGroup', { cost: 'costNano' });

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
  const list = [...groups.values()].map(
    ({ key, measures }): BreakdownGroup =>
      Object.assign(new BREAKDOWN_GROUP(), {
        key,
        costNano: measures.cost,
        costUsd: nanoToUsd(measures.cost),
        share: total.cost > 0 ? measures.cost / total.cost : 0,
        measures,
      }),
  );
  list.sort((a, b) => (byDayOnly ? (a.key.day! < b.key.day! ? -1 : 1) : b.costNano - a.costNano));
  return {
    by,
    fromDay,
    toDay,
    total: { ...total, costNano: total.cost, costUsd: nanoToUsd(total.cost) },
    groups: list,
  };
}

function emptyMeasures(): Record<RollupMeasure, number> {
  return Object.fromEntries(ROLLUP_MEASURES.map((measure) => [measure, 0])) as Record<RollupMeasure, number>;
}
