import type { CallContext } from '../budget/call-context';
import type { PeriodCache } from '../budget/period-cache';
import type { BudgetSettings } from '../config/budget-settings';
import {
  orDefault,
  validateArray,
  validateBoolean,
  validateCount,
  validateId,
  validateOneOf,
  validatePlainObject,
} from '../errors/validation';
import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys';
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

/** What `whatIfSavings()` replays: the last `days` days, and whether embeddings take part. */
export interface WhatIfSavingsOptions {
  /** The days replayed, ending today. Default 30. */
  days?: number;
  /**
   * Also replay embedding calls on other models. Off by default: another model's vectors cannot
   * be compared with the ones already stored, so moving means embedding everything again.
   */
  includeEmbeddings?: boolean;
}

const BREAKDOWN_OPTION_KEYS = optionKeys<BreakdownOptions>({
  by: true,
  where: true,
  from: true,
  to: true,
  days: true,
});
const WHAT_IF_SAVINGS_OPTION_KEYS = optionKeys<WhatIfSavingsOptions>({ days: true, includeEmbeddings: true });

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
    rejectUnknownKeys(options, BREAKDOWN_OPTION_KEYS, 'options');
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

  async whatIfSavings(options: WhatIfSavingsOptions): Promise<SavingsOpportunity[]> {
    validatePlainObject(options, 'options');
    rejectUnknownKeys(options, WHAT_IF_SAVINGS_OPTION_KEYS, 'options');
    const days = validateCount(orDefault(options.days, 30), 'days', 3660) || 30;
    const includeEmbeddings =
      options.includeEmbeddings === undefined
        ? false
        : validateBoolean(options.includeEmbeddings, 'includeEmbeddings');
    const { fromDay, toDay } = dayRange({ days }, this.calendar);
    const rows = await this.store.queryRollups({ fromDay, toDay });
    return whatIfSavings({
      rows,
      registry: this.settings.registry,
      catalog: this.settings.catalog,
      days,
      at: new Date(this.settings.clock()),
      includeEmbeddings,
    });
  }

  /** Urgent at RED/CRITICAL, the costliest provider, a projection above the budget, and what-if savings. */
  async recommendations(
    options: WhatIfSavingsOptions & { context?: CallContext },
    status: () => Promise<BudgetStatus[]>,
  ): Promise<Recommendation[]> {
    validatePlainObject(options, 'options');
    rejectUnknownKeys(options, [...WHAT_IF_SAVINGS_OPTION_KEYS, 'context'], 'options');
    const days = validateCount(orDefault(options.days, 30), 'days', 3660) || 30;
    const savingsOptions: WhatIfSavingsOptions = { days };
    if (options.includeEmbeddings !== undefined) savingsOptions.includeEmbeddings = options.includeEmbeddings;
    const [statuses, providers, savings] = await Promise.all([
      status(),
      this.breakdown({ by: ['provider'], days }),
      this.whatIfSavings(savingsOptions),
    ]);
    return buildRecommendations({ statuses, providers, savings });
  }
}
