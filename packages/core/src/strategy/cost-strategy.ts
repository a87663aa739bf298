import type { AlertLevel } from '../alerts/alert-level';

/** The cost strategies, from the most generous to the most frugal. */
export const COST_STRATEGIES = ['QUALITY_FIRST', 'BALANCED', 'CHEAPEST_FIRST', 'EMERGENCY_ONLY'] as const;
/** One of `COST_STRATEGIES`; `budget.strategy()` picks it from the alert level. */
export type CostStrategy = (typeof COST_STRATEGIES)[number];

/** The original mapping: GREEN/YELLOW → QUALITY_FIRST, ORANGE → BALANCED, RED → CHEAPEST_FIRST, CRITICAL → EMERGENCY_ONLY. */
export function strategyForLevel(level: AlertLevel): CostStrategy {
  switch (level) {
    case 'GREEN':
    case 'YELLOW':
      return 'QUALITY_FIRST';
    case 'ORANGE':
      return 'BALANCED';
    case 'RED':
      return 'CHEAPEST_FIRST';
    case 'CRITICAL':
      return 'EMERGENCY_ONLY';
  }
}
