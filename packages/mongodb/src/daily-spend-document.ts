import type { Long } from 'mongodb';

/** What one budget's scope value spent on one day (in the budget's time zone), for projections. */
export interface DailySpendDocument {
  _id: string;
  budgetId: string;
  scope: string;
  day: string;
  cost: Long | number;
  /** The request ids of the last commits added here (applied-markers.ts). */
  applied?: string[];
}
