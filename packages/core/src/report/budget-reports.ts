import type { PeriodCache } from '../budget/period-cache';
import type { BudgetSettings } from '../config/budget-settings';
import {
  orDefault,
  validateArray,
  validateCount,
  validateId,
  validateOneOf,
  validatePlainObject,
} from '../errors/validation';
import type { BudgetStatus } from '../status/budget-status';
import type { BoundedStore } from '../store/bounded-store';
import { ROLLUP_DIMENSIONS, type RollupDimension, type RollupQuery } from '../store/store-contract';
import { type Breakdown, groupRollups } from './breakdown';
import { type DayRangeOptions, dayRange } from './day-range';
import { buildRecommendations, type Recommendation } from './recommendations';
import { type SavingsOpportunity, whatIfSavings } from './what-if-savings';

/** What `budget.breakdown()` groups by and over which days. */
export interface BreakdownOptions extends DayRangeOptions {
  /** Dimensions to group by. Default `['provider']`. */
  by?: readonly RollupDimension[];
  where?: RollupQuery['where'];
}

const FILTER_DIMENSIONS = ROLLUP_DIMENSIONS.filter((dimension) => dimension !== 'day') as Exclude<
  RollupDimension,
  'day'
>[];

/** Reports read from the daily rollups: breakdowns, what-if savings and recommendations. */
export class BudgetReports {
  private readonly settings: BudgetSettings;
  private readonly store: BoundedStore;
  private readonly calendar: { periods: PeriodCache; timeZone: string; clock: () => number };

  constructor(parts: { settings: BudgetSettings; store: BoundedStore; periods: PeriodCache }) {
    this.settings = parts.settings;
    this.store = parts.store;
    this.calendar = {
      periods: parts.periods,
      timeZone: parts.settings.reportTimeZone,
      clock: parts.settings.clock,
    };
  }

  async breakdown(options: BreakdownOptions): Promise<Breakdown> {
    validatePlainObject(options, 'options');
    const by = (options.by === undefined ? ['provider'] : validateArray(options.by, 'by')).map(
      (dimension, index) => validateOneOf(dimension, `by[${index}]`, ROLLUP_DIMENSIONS),
    );
    const { fromDay, toDay } = dayRange(options, this.calendar);
    const where: NonNullable<RollupQuery['where']> = {};
    const filters = options.where === undefined ? {} : validatePlainObject(options.where, 'where');
    for (const [dimension, value] of Object.entries(filters)) {
      const checked = validateOneOf(dimension, 'where', FILTER_DIMENSIONS);
      where[checked] = validateId(value, `where.${dimension}`);
    }
    const rows = await this.store.queryRollups({ fromDay, toDay, where });
    return groupRollups(rows, by, fromDay, toDay);
  }

  async whatIfSavings(options: { days?: number }): Promise<SavingsOpportunity[]> {
    validatePlainObject(options, 'options');
    const days = validateCount(orDefault(options.days, 30), 'days', 3660) || 30;
    const { fromDay, toDay } = dayRange({ days }, this.calendar);
    const rows = await this.store.queryRollups({ fromDay, toDay });
    return whatIfSavings({
      rows,
      registry: this.settings.registry,
      catalog: this.settings.catalog,
      days,
      at: new Date(this.settings.clock()),
    });
  }

  /** Urgent at RED/CRITICAL, the costliest provider, a projection above the budget, and what-if savings. */
  async recommendations(
    options: { days?: number },
    status: () => Promise<BudgetStatus[]>,
  ): Promise<Recommendation[]> {
    validatePlainObject(options, 'options');
    const days = validateCount(orDefault(options.days, 30), 'days', 3660) || 30;
    const [statuses, providers, savings] = await Promise.all([
      status(),
      this.breakdown({ by: ['provider'], days }),
      this.whatIfSavings({ days }),
    ]);
    return buildRecommendations({ statuses, providers, savings });
  }
}
