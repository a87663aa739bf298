import type { StatusJson } from '../report/status-json';

/** At most `limit` statuses of each budget, its most used first when it lists scope values. */
export function mostUsedPerBudget(
  statuses: readonly StatusJson[],
  limit: number,
): { statuses: StatusJson[]; hidden: number } {
  const byBudget = new Map<string, StatusJson[]>();
  for (const status of statuses) {
    const own = byBudget.get(status.budgetId);
    if (own) own.push(status);
    else byBudget.set(status.budgetId, [status]);
  }
  const shown: StatusJson[] = [];
  let hidden = 0;
  for (const own of byBudget.values()) {
    const ordered = own.length > 1 ? [...own].sort((a, b) => b.used.nanoUsd - a.used.nanoUsd) : own;
    shown.push(...ordered.slice(0, limit));
    hidden += Math.max(0, ordered.length - limit);
  }
  return { statuses: shown, hidden };
}
