import { type BudgetManager, formatUsd } from '@tollgate/core';
import pc from 'picocolors';
import { colorLevel } from './level-colors';

const BAR_WIDTH = 24;

/** The end of the demo: status, where the money went by provider and model, and recommendations. */
export async function printFinalReport(budget: BudgetManager): Promise<void> {
  const [statuses, strategy, breakdown, recommendations] = await Promise.all([
    budget.status(),
    budget.strategy(),
    budget.breakdown({ by: ['provider', 'model'] }),
    budget.recommendations(),
  ]);

  console.log(pc.bold('\nStatus'));
  for (const status of statuses) {
    const days =
      status.daysRemaining === undefined ? '' : `, ${status.daysRemaining} days left this ${status.period}`;
    console.log(
      `  ${status.budgetId}  ${colorLevel(status.alertLevel)}  ${formatUsd(status.usedNano)} of ${formatUsd(status.limitNano)} used (${(status.usedRatio * 100).toFixed(1)}%), ${formatUsd(status.remainingNano)} remaining${days}`,
    );
    const { method, basis } = status.projection;
    console.log(
      `  projected ${formatUsd(status.projectedNano)} for the ${status.period} (${method}, on ${basis.elapsed} of ${basis.total} ${basis.unit}s) · over budget: ${status.overBudget ? 'yes' : 'no'} · strategy ${strategy}`,
    );
  }

  console.log(pc.bold('\nWhere the money went (by provider and model)'));
  const rows = breakdown.groups.map((group) => ({
    provider: group.key.provider ?? '',
    model: group.key.model ?? '',
    requests: String(group.measures.requests),
    cost: formatUsd(group.costNano),
    share: `${(group.share * 100).toFixed(1)}%`,
    bar: '█'.repeat(Math.max(group.costNano > 0 ? 1 : 0, Math.round(group.share * BAR_WIDTH))),
  }));
  const width = (column: keyof (typeof rows)[number]) =>
    Math.max(0, ...rows.map((row) => row[column].length));
  for (const row of rows) {
    console.log(
      `  ${row.provider.padEnd(width('provider'))}  ${row.model.padEnd(width('model'))}  ${row.requests.padStart(width('requests'))} calls  ${row.cost.padStart(width('cost'))}  ${row.share.padStart(6)}  ${pc.cyan(row.bar)}`,
    );
  }
  console.log(
    `  total ${formatUsd(breakdown.total.costNano)} over ${breakdown.total.requests} recorded calls`,
  );

  console.log(pc.bold('\nRecommendations'));
  for (const recommendation of recommendations) {
    const label =
      recommendation.severity === 'urgent'
        ? pc.red('urgent ')
        : recommendation.severity === 'warning'
          ? pc.yellow('warning')
          : pc.cyan('info   ');
    console.log(`  ${label} ${recommendation.message}`);
  }
}
