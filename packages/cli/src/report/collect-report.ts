import type { RollupDimension } from '@tollgate/core';
import type { ProgressIndicator } from '../render/progress-indicator';
import type { BudgetSession } from '../store/open-budget';
import { breakdownJson, usageJson } from './breakdown-json';
import { budgetsJson } from './budgets-json';
import { collectStatuses } from './collect-statuses';
import { daysBetween } from './days-between';
import { moneyJson } from './money-json';
import type { ReportJson } from './report-json';
import { recommendationJson, savingsJson } from './savings-json';
import { statusesJson } from './status-json';

export interface CollectReportOptions {
  /** One breakdown per entry, grouped by the entry's dimensions together. */
  readonly breakdowns: readonly (readonly RollupDimension[])[];
  readonly days: number;
  readonly storeLabel: string;
  readonly progress: ProgressIndicator;
}

/** Reads everything a report shows, once, into its JSON shape; the text and HTML renderers start from it. */
export async function collectReport(
  session: BudgetSession,
  options: CollectReportOptions,
): Promise<ReportJson> {
  const { budget } = session;
  const { days, progress } = options;
  const total = options.breakdowns.length + 4;
  let step = 0;
  const next = (label: string) => progress.step(label, ++step, total);

  next('reading budget status');
  const statuses = await collectStatuses(session);
  const strategy = await budget.strategy();
  next('reading daily spend');
  const daily = await budget.breakdown({ by: ['day'], days });
  const breakdowns = [];
  for (const by of options.breakdowns) {
    next(`reading spend by ${by.join(' and ')}`);
    breakdowns.push(by.length === 1 && by[0] === 'day' ? daily : await budget.breakdown({ by, days }));
  }
  next('replaying usage on cheaper models');
  const savings = await budget.whatIfSavings({ days });
  next('building recommendations');
  // Without budgets, the manager's stand-in budget is never shown, nor anything said about it.
  const recommendations = (await budget.recommendations({ days })).filter(
    (recommendation) => session.budgets.source !== 'none' || recommendation.budgetId === undefined,
  );
  progress.done();

  const byDay = new Map(daily.groups.map((group) => [group.key.day, group]));
  return {
    schemaVersion: 1,
    generatedAt: new Date(budget.now()).toISOString(),
    store: options.storeLabel,
    range: { fromDay: daily.fromDay, toDay: daily.toDay, days, timeZone: budget.reportTimeZone },
    total: {
      costUsd: daily.total.costUsd,
      costNano: daily.total.costNano,
      cost: moneyJson(daily.total.costNano),
      usage: usageJson(daily.total),
    },
    strategy,
    budgets: budgetsJson(budget, session.budgets),
    statuses: statusesJson(budget, statuses),
    daily: daysBetween(daily.fromDay, daily.toDay).map((day) => {
      const group = byDay.get(day);
      const costNano = group?.costNano ?? 0;
      return {
        day,
        costUsd: moneyJson(costNano).usd,
        costNano,
        cost: moneyJson(costNano),
        requests: group?.measures.requests ?? 0,
      };
    }),
    breakdowns: breakdowns.map(breakdownJson),
    recommendations: recommendations.map(recommendationJson),
    savings: savings.map(savingsJson),
  };
}
