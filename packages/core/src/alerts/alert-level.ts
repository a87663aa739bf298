/** The alert levels, from least to most used: GREEN < 50% ≤ YELLOW < 75% ≤ ORANGE < 90% ≤ RED < 100% ≤ CRITICAL. */
export const ALERT_LEVELS = ['GREEN', 'YELLOW', 'ORANGE', 'RED', 'CRITICAL'] as const;
/** One of `ALERT_LEVELS`. */
export type AlertLevel = (typeof ALERT_LEVELS)[number];

/** Share of the limit used at which each level starts: GREEN < 50% ≤ YELLOW < 75% ≤ ORANGE < 90% ≤ RED < 100% ≤ CRITICAL. */
export interface AlertThresholds {
  yellow: number;
  orange: number;
  red: number;
  critical: number;
}

/** The default fractions of the limit at which YELLOW, ORANGE, RED and CRITICAL begin. */
export const DEFAULT_THRESHOLDS: Readonly<AlertThresholds> = {
  yellow: 0.5,
  orange: 0.75,
  red: 0.9,
  critical: 1,
};

/** The alert level of `used` out of `limit` (same unit) under the given thresholds. */
export function alertLevelFor(used: number, limit: number, thresholds: AlertThresholds): AlertLevel {
  if (limit <= 0) return used > 0 ? 'CRITICAL' : 'GREEN';
  const share = used / limit;
  if (share >= thresholds.critical) return 'CRITICAL';
  if (share >= thresholds.red) return 'RED';
  if (share >= thresholds.orange) return 'ORANGE';
  if (share >= thresholds.yellow) return 'YELLOW';
  return 'GREEN';
}

export function alertRank(level: AlertLevel): number {
  return ALERT_LEVELS.indexOf(level);
}

/** How loudly an alert speaks: CRITICAL → `critical`, RED → `warning`, ORANGE → `info`. */
export type AlertSeverity = 'critical' | 'warning' | 'info';

/** The original mapping: CRITICAL → critical, RED → warning, ORANGE → info, nothing for GREEN/YELLOW. */
export function severityOf(level: AlertLevel): AlertSeverity | undefined {
  if (level === 'CRITICAL') return 'critical';
  if (level === 'RED') return 'warning';
  if (level === 'ORANGE') return 'info';
  return undefined;
}
