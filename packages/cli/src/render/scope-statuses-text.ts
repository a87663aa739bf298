import { formatUsd } from '@tollgate/core';
import type { BudgetDefinitionJson } from '../report/budgets-json';
import type { StatusJson } from '../report/status-json';
import { colorForLevel } from './alert-level-style';
import type { Colors } from './colors';
import { usageBar } from './usage-bar';
import { padEnd, padStart, visibleWidth } from './visible-width';

/**
 * A budget with one counter per scope value (a per-user budget): a heading, then one line per
 * value with spend this period, the most used first, at most `limit` of them.
 */
export function renderScopeStatusesText(
  definition: BudgetDefinitionJson,
  statuses: readonly StatusJson[],
  options: { colors: Colors; width: number; limit: number },
): string {
  const { colors, limit } = options;
  const first = statuses[0];
  const periodKey = first?.periodKey.replace(/^[a-z]+:/, '');
  const period =
    definition.period === 'total' ? 'total' : `${definition.period}${periodKey ? ` ${periodKey}` : ''}`;
  const count = `${statuses.length} with spend`;
  const heading = `${colors.bold(definition.id)}  ${colors.dim(
    `per ${definition.scope} · ${period} · ${definition.timeZone} · ${formatUsd(definition.limitNano)} each`,
  )}${statuses.length > 0 ? `  ${colors.dim(count)}` : ''}`;
  if (statuses.length === 0)
    return `${heading}\n  ${colors.dim(`no spend this ${definition.period === 'total' ? 'budget' : definition.period}`)}`;

  const shown = [...statuses].sort((a, b) => b.usedNano - a.usedNano).slice(0, limit);
  const prefix = `${definition.scope}:`;
  const names = shown.map((status) =>
    status.scope.startsWith(prefix) ? status.scope.slice(prefix.length) : status.scope,
  );
  const nameWidth = Math.min(32, Math.max(...names.map(visibleWidth)));
  const barWidth = Math.max(10, Math.min(20, options.width - nameWidth - 50));
  const lines = shown.map((status, index) => {
    const color = colorForLevel(status.alertLevel, colors);
    const bar = usageBar(status.usedRatio, barWidth);
    const money = status.overBudget
      ? colors.red(`over by ${formatUsd(status.usedNano - status.limitNano)}`)
      : `used ${colors.bold(formatUsd(status.usedNano))} of ${formatUsd(status.limitNano)}`;
    return [
      `  ${padEnd(names[index]!, nameWidth)}`,
      padEnd(color(status.alertLevel), 8),
      `${color(bar.filled)}${colors.dim(bar.empty)}`,
      padStart(`${(status.usedRatio * 100).toFixed(1)}%`, 6),
      money,
    ].join('  ');
  });
  if (statuses.length > shown.length)
    lines.push(
      colors.dim(
        `  … and ${statuses.length - shown.length} more (--limit ${statuses.length} shows them all; --json lists every one)`,
      ),
    );
  return [heading, ...lines].join('\n');
}
